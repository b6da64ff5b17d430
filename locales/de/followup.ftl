# Nachverfolgung: SLA-Uhr, Hintergrundaufgaben, Zufriedenheitsumfrage, Einstellungen zum Arbeitsablauf.

## SLA-Uhr
sla-left = noch { $time }
sla-overdue = { $time } überfällig
sla-duration-min = { $m } Min.
sla-duration-h-min = { $h } Std. { $m } Min.
sla-duration-d-h = { $d } Tg. { $h } Std.
sla-targets = Antwortziele
sla-targets-hint = Gezählt in den Öffnungszeiten dieses Standorts, als Stunden:Minuten (2:00 sind zwei Stunden). Die Uhr hält an, solange Sie auf den Kunden warten.
sla-first-response = Erste Antwort innerhalb von
sla-resolution = Gelöst innerhalb von
sla-error-target = Geben Sie eine Zeit als Stunden:Minuten ein, etwa 2:00, zwischen 0:01 und { $max }.
sla-error-order = Das Ziel für die Lösung darf nicht kürzer sein als das Ziel für die erste Antwort.

## Nachfass-E-Mails
followup-escalation-first-response = keine rechtzeitige erste Antwort
followup-escalation-resolution = nicht rechtzeitig gelöst
followup-escalation-subject = Ziel verfehlt bei { $reference }: { $what }
followup-escalation-body = Ticket { $reference } bei { $location } hat sein Ziel verfehlt: { $what } ({ $late }).
followup-reminder-subject = Wir warten auf Ihre Antwort ({ $reference })
followup-reminder-body = Wir haben Ihnen eine Frage zu Ihrem Feedback an { $shop } ({ $reference }) gestellt und möchten Ihnen gern weiterhelfen. Wann immer es Ihnen passt, können Sie auf Ihrer persönlichen Seite antworten oder einfach diese E-Mail beantworten.
followup-reminder-link = Ihre persönliche Seite:
followup-survey-subject = Konnten wir es lösen? ({ $reference })
followup-survey-body = Wir haben die Bearbeitung Ihres Feedbacks an { $shop } ({ $reference }) abgeschlossen. Konnten wir es lösen? Ein Klick auf ein Gesicht genügt:
followup-survey-once = Wir fragen nur einmal. Sie können Ihre Antwort später über dieselben Links ändern.
followup-unhappy-subject = Unzufriedene Antwort zu { $reference }
followup-unhappy-body = Der Kunde zu { $reference } hat auf „Konnten wir es lösen?“ mit „{ $face }“ geantwortet. Das Ticket ist wieder offen.
followup-digest-subject = Heute: { $open } offen, { $overdue } überfällig
followup-digest-counts = Offen: { $open }. Überfällig: { $overdue }. Nicht zugewiesen: { $unassigned }. Ihnen zugewiesen: { $mine }.
followup-digest-top = Das Dringendste zuerst:
followup-digest-unassigned = nicht zugewiesen
followup-digest-footer = Sie erhalten diese tägliche Übersicht, weil Sie ein Mitarbeiterkonto bei Tellus haben.
followup-digest-inbox = Der ganze Posteingang:

## Zufriedenheitsseite
csat-title = Konnten wir es lösen?
csat-lead = Ihr Feedback an { $shop } ({ $reference }). Wählen Sie ein Gesicht und bestätigen Sie Ihre Antwort.
csat-faces-legend = Wie zufrieden sind Sie mit unserer Bearbeitung?
csat-submit = Antwort senden
csat-error-face = Bitte wählen Sie ein Gesicht.
csat-error-expired = Diese Seite war lange geöffnet. Bitte bestätigen Sie Ihre Antwort noch einmal.
csat-thanks-title = Vielen Dank für Ihre Antwort
csat-thanks-happy = Wir freuen uns, dass wir helfen konnten.
csat-thanks-unhappy = Es tut uns leid, dass es nicht geklappt hat. Ihre Beschwerde ist wieder offen, und wir melden uns bei Ihnen.
csat-ticket-link = Ihre persönliche Seite

## Einstellungen zum Arbeitsablauf
workflow-title = Arbeitsablauf
workflow-saved = Einstellungen gespeichert.
workflow-auto-close-days = Gelöste Tickets schließen nach (Tagen)
workflow-auto-close-days-hint = Ein gelöstes Ticket ohne Antwort des Kunden schließt sich von selbst. 0 = nie.
workflow-reminder-days = Kunden, auf die wir warten, erinnern nach (Tagen)
workflow-reminder-days-hint = Eine freundliche Erinnerung, nur an Kunden, die per E-Mail benachrichtigt werden möchten. 0 = nie.
workflow-csat-delay-hours = „Konnten wir es lösen?“ fragen nach (Stunden)
workflow-csat-delay-hours-hint = Stunden nach dem Lösen eines Tickets; eine E-Mail, nur an Kunden, die per E-Mail benachrichtigt werden möchten.
workflow-digest-hour = Tägliche Übersicht um (Stunde, 0–23)
workflow-digest-hour-hint = Alle Mitarbeiter und Inhaber erhalten einmal am Tag, was offen, überfällig und nicht zugewiesen ist, in der Zeitzone unten.
workflow-error-range = Geben Sie eine ganze Zahl von { $min } bis { $max } ein.
