# Opvolging: SLA-klok, achtergrondtaken, tevredenheidsvraag, werkwijze-instellingen.

## SLA-klok
sla-left = nog { $time }
sla-overdue = { $time } te laat
sla-duration-min = { $m } min
sla-duration-h-min = { $h } u { $m } min
sla-duration-d-h = { $d } d { $h } u
sla-targets = Reactietijden
sla-targets-hint = Geteld in de openingstijden van deze vestiging, als uren:minuten (2:00 is twee uur). De klok staat stil zolang je op de klant wacht.
sla-first-response = Eerste antwoord binnen
sla-resolution = Opgelost binnen
sla-error-target = Vul een tijd in als uren:minuten, zoals 2:00, tussen 0:01 en { $max }.
sla-error-order = De tijd voor oplossen kan niet korter zijn dan die voor het eerste antwoord.

## Opvolgmails
followup-escalation-first-response = niet op tijd een eerste antwoord
followup-escalation-resolution = niet op tijd opgelost
followup-escalation-subject = Termijn gemist bij { $reference }: { $what }
followup-escalation-body = Ticket { $reference } bij { $location } heeft zijn termijn gemist: { $what } ({ $late }).
followup-reminder-subject = We wachten op je antwoord ({ $reference })
followup-reminder-body = We vroegen je iets over je feedback aan { $shop } ({ $reference }) en helpen je graag verder. Antwoord wanneer het je uitkomt op je privépagina, of beantwoord gewoon deze e-mail.
followup-reminder-link = Je privépagina:
followup-survey-subject = Hebben we het opgelost? ({ $reference })
followup-survey-body = We hebben je feedback aan { $shop } ({ $reference }) afgehandeld. Hebben we het opgelost? Eén klik op een gezicht is genoeg:
followup-survey-once = We vragen dit maar één keer. Via dezelfde links kun je je antwoord later nog wijzigen.
followup-unhappy-subject = Ontevreden antwoord bij { $reference }
followup-unhappy-body = De klant van { $reference } antwoordde "{ $face }" op "Hebben we het opgelost?". Het ticket staat weer open.
followup-digest-subject = Vandaag: { $open } open, { $overdue } te laat
followup-digest-counts = Open: { $open }. Te laat: { $overdue }. Niet toegewezen: { $unassigned }. Aan jou toegewezen: { $mine }.
followup-digest-top = Meest dringend eerst:
followup-digest-unassigned = niet toegewezen
followup-digest-footer = Je krijgt dit dagelijkse overzicht omdat je een medewerkersaccount in Tellus hebt.
followup-digest-inbox = De hele inbox:

## Tevredenheidspagina
csat-title = Hebben we het opgelost?
csat-lead = Je feedback aan { $shop } ({ $reference }). Kies een gezicht en bevestig je antwoord.
csat-faces-legend = Hoe vind je dat we het hebben afgehandeld?
csat-submit = Verstuur mijn antwoord
csat-error-face = Kies een gezicht.
csat-error-expired = Deze pagina stond lang open. Bevestig je antwoord nog een keer.
csat-thanks-title = Bedankt voor je antwoord
csat-thanks-happy = Fijn dat we je konden helpen.
csat-thanks-unhappy = Sorry dat het nog niet goed is. Je klacht staat weer open en we nemen contact met je op.
csat-ticket-link = Je privépagina

## Werkwijze-instellingen
workflow-title = Werkwijze
workflow-saved = Instellingen bewaard.
workflow-auto-close-days = Opgeloste tickets sluiten na (dagen)
workflow-auto-close-days-hint = Een opgelost ticket zonder reactie van de klant sluit vanzelf. 0 = nooit.
workflow-reminder-days = Klant op wie we wachten herinneren na (dagen)
workflow-reminder-days-hint = Eén vriendelijke herinnering, alleen aan klanten die om e-mail vroegen. 0 = nooit.
workflow-csat-delay-hours = "Hebben we het opgelost?" vragen na (uren)
workflow-csat-delay-hours-hint = Uren nadat een ticket is opgelost; één e-mail, alleen aan klanten die om e-mail vroegen.
workflow-digest-hour = Dagelijks overzicht om (uur, 0–23)
workflow-digest-hour-hint = Elke medewerker en eigenaar krijgt eens per dag wat open, te laat en niet toegewezen is, in de tijdzone hieronder.
workflow-error-range = Vul een heel getal in van { $min } tot { $max }.
