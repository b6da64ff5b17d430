# Tellus — Nederlandse teksten. Elke sleutel hier staat ook in en.ftl.

app-name = Tellus

## Landing
landing-title = Hoor een klacht voordat internet hem hoort
landing-lead = Klanten vertellen wat er misging op de tablet in je winkel of via een QR-code. Je medewerkers antwoorden per e-mail en volgen elke klacht tot hij is opgelost.
landing-staff-login = Inloggen voor medewerkers
landing-forms = Feedback geven

## Public form
form-title = Hoe was je bezoek aan { $shop }?
form-intro = Niet tevreden? Vertel het ons. Tevreden? Vertel het anderen!
form-faces-legend = Hoe was het?
face-1 = Heel ontevreden
face-2 = Ontevreden
face-3 = Tevreden
face-4 = Heel tevreden
form-category-legend = Waar ging het over? (niet verplicht)
form-category-none = Zeg ik liever niet
form-message-label = Je bericht (niet verplicht)
form-message-hint = Wat is er gebeurd? Wat kunnen we beter doen?
form-name-label = Je naam (niet verplicht)
form-email-label = Je e-mailadres (niet verplicht)
form-email-hint = Alleen als je een antwoord van ons wilt.
form-consent-label = Mail me over deze klacht
form-consent-hint = We gebruiken je adres alleen voor deze klacht.
form-submit = Versturen
form-errors-title = Kijk het formulier even na
form-honeypot-label = Laat dit veld leeg

error-face-required = Kies een gezicht.
error-message-too-long = Je bericht is te lang: hoogstens { $max } tekens (nu { $len }).
error-name-too-long = Je naam is te lang: hoogstens { $max } tekens.
error-email-too-long = Dat e-mailadres is te lang: hoogstens { $max } tekens.
error-email-invalid = Dat lijkt geen e-mailadres. Kijk het na, of laat het leeg.
error-consent-missing = Vink het vakje aan als je wilt dat we je mailen, of maak het e-mailadres leeg.
error-consent-needs-email = Vul je e-mailadres in, dan kunnen we je mailen.
error-category-invalid = Kies een van de onderwerpen uit de lijst.

## Thank-you page
thanks-title = Bedankt!
thanks-lead = We hebben je feedback ontvangen.
thanks-reference = Je referentie
thanks-email-coming = We hebben een bevestiging naar je e-mailadres gestuurd. We antwoorden je daar.
thanks-follow = Volg je klacht
thanks-follow-hint = Houd deze link voor jezelf: iedereen die hem heeft kan je klacht lezen.
thanks-tell-others = Vertel anderen over je bezoek
thanks-tell-others-lead = Je recensie helpt andere klanten, wat je ook van ons vindt.
thanks-again = Nog meer feedback geven

## Customer ticket page
ticket-title = Je klacht { $reference }
ticket-status = Status
status-new = Nieuw
status-open = In behandeling
status-resolved = Opgelost
ticket-you = Jij
ticket-staff = { $shop }
ticket-reply-label = Je antwoord
ticket-reply-submit = Antwoord versturen
ticket-reply-sent = Je antwoord is verstuurd.
ticket-no-message = (Geen bericht: alleen een gezicht.)
error-reply-empty = Schrijf een bericht.

## Staff
staff-login-title = Inloggen voor medewerkers
staff-email = E-mailadres
staff-password = Wachtwoord
staff-login-submit = Inloggen
staff-login-failed = E-mailadres of wachtwoord is onjuist.
staff-logout = Uitloggen
staff-inbox = Inbox
staff-quarantine = Quarantaine
staff-settings = Instellingen
nav-skip = Naar de pagina
nav-main = Hoofdmenu
nav-menu = Menu
nav-settings-menu = Instellingspagina’s
staff-col-reference = Referentie
staff-col-status = Status
staff-col-location = Vestiging
staff-col-face = Gezicht
staff-col-category = Onderwerp
staff-col-age = Leeftijd
staff-inbox-empty = Nog geen klachten.
staff-next-page = Ouder
staff-ticket-customer = Klant
staff-ticket-no-contact = Geen e-mailadres: je antwoord staat alleen op de privépagina van de klant.
staff-reply-submit = Antwoord versturen
staff-reply-empty = Schrijf een antwoord.
staff-status-label = Status
staff-status-submit = Status wijzigen
staff-mail-pending = Wordt verstuurd
staff-mail-sent = Verstuurd
staff-mail-failed-detail = De e-mail aan { $recipient } kon niet worden bezorgd: { $error }
staff-quarantine-lead = Inzendingen die zijn tegengehouden als mogelijke spam (te snel, zonder geldig formuliertoken, boven de limiet of met het verborgen veld ingevuld). Laat de echte door.
staff-quarantine-empty = Niets in quarantaine.
staff-quarantine-release = Doorlaten
staff-quarantine-reason = Reden
staff-review-links = Reviewlinks
staff-review-links-lead = Elke klant ziet ze op de bedankpagina, welk gezicht die ook koos. Tevreden klanten vertellen het graag verder, en een goed opgeloste klacht levert vaak de warmste review op; iedereen op dezelfde manier uitnodigen is eerlijk, en reviewsites eisen het.
staff-review-label = Naam (bijv. Google)
staff-review-url = Adres (https://…)
staff-review-add = Toevoegen
staff-review-remove = Verwijderen
error-review-url = Het adres moet beginnen met http:// of https://.
error-review-label = Geef de link een naam (hoogstens 60 tekens).
age-minutes = { $n } min
age-hours = { $n } u
age-days = { $n } d

## Setup
setup-title = Tellus instellen
setup-lead = Maak het account van de eigenaar en je eerste vestiging aan.
setup-owner = Eigenaar
setup-name = Je naam
setup-location = Eerste vestiging
setup-location-name = Naam van de vestiging
setup-location-slug = Korte naam voor het webadres
setup-location-slug-hint = Kleine letters, cijfers en streepjes, bijv. hoofdstraat.
setup-submit = Aanmaken
error-password-short = Het wachtwoord moet minstens { $min } tekens hebben.
error-name-required = Vul een naam in (hoogstens 100 tekens).
error-slug-invalid = Gebruik 2 tot 60 kleine letters, cijfers en streepjes.
error-slug-taken = Die korte naam is al in gebruik.
error-email-taken = Dat e-mailadres heeft al een account.

## Errors
error-title = Er ging iets mis
error-not-found = Deze pagina bestaat niet, of je hebt er geen toegang toe.
error-bad-request = We konden niet lezen wat er werd verstuurd. Ga terug en probeer het opnieuw.
error-forbidden = Dit formulier is verlopen of kwam van een andere site. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-too-many = Te veel pogingen. Wacht een paar minuten en probeer het opnieuw.
error-too-large = Wat er werd verstuurd is te groot.
error-unavailable = We zijn even niet bereikbaar. Probeer het zo opnieuw.
error-internal = Er ging bij ons iets mis. Wat je al verstuurde is niet verloren. Probeer het opnieuw.
error-back-home = Terug naar het begin

## Mail
mail-ack-subject = We hebben je feedback ontvangen ({ $reference })
mail-ack-greeting = Hallo { $name },
mail-ack-greeting-anonymous = Hallo,
mail-ack-body = Bedankt dat je { $shop } vertelt wat er misging. Je referentie is { $reference }. We antwoorden je per e-mail.
mail-ack-link = Op je privépagina lees je je klacht en elk antwoord, en kun je reageren:
mail-your-message = Je bericht:
mail-footer = Je krijgt deze e-mail omdat je je adres gaf bij feedback voor { $shop } en vroeg om hierover te mailen.
mail-alert-subject = Nieuwe feedback { $reference } bij { $location }
mail-alert-body = Nieuwe feedback bij { $location }: { $face }.
mail-alert-link = Open het ticket:
mail-alert-footer = Je krijgt deze e-mail omdat je medewerker bent bij { $shop }.
mail-reply-subject = Re: je feedback ({ $reference })
mail-reply-link = Lees het hele gesprek en antwoord:
mail-customer-reply-subject = Klant antwoordde op { $reference }

## Owner pages (locations, categories, business profile)

## QR codes and posters

## Kiosk
kiosk-pair-title = Deze tablet koppelen
kiosk-pair-lead = Typ de koppelcode die de eigenaar maakte onder Kiosks. De tablet toont daarna het feedbackscherm van die vestiging.
kiosk-pair-code = Koppelcode
kiosk-pair-submit = Koppelen
kiosk-pair-failed = Die code is onbekend, al gebruikt of verlopen. Vraag een nieuwe.
kiosk-inactive-title = Deze kiosk is niet actief
kiosk-inactive-lead = Vraag het een medewerker.
kiosk-details-title = Vertel ons meer (niet verplicht)
kiosk-skip = Overslaan
kiosk-tell-others = Vertel het anderen: scan met je telefoon
kiosk-still-there = Ben je er nog? Opnieuw beginnen over
kiosk-continue = Doorgaan
# Kiosk: the offline sign for staff
kiosk-offline = Offline
kiosk-waiting = { $count } wachtend
kiosk-waiting-label = Nog niet verstuurd: { $count } antwoorden wachten op het netwerk
kiosk-owner-title = Kiosks
kiosk-code-title = Koppelcode
kiosk-code-lead = Open /kiosk/pair op de tablet en typ deze code. Hij werkt één keer, 10 minuten lang.
kiosk-new-title = Een nieuwe tablet koppelen
kiosk-name = Naam
kiosk-make-code = Koppelcode maken
kiosk-last-seen = Laatst gezien
kiosk-revoke = Intrekken
kiosk-revoked = Ingetrokken
kiosk-nav = Kiosks
owner-locations = Vestigingen
owner-categories = Onderwerpen
owner-profile = Profiel
owner-save = Opslaan
owner-active = Actief
owner-inactive = Inactief
owner-activate = Activeren
owner-deactivate = Deactiveren
owner-col-status = Status
owner-col-actions = Acties
owner-location-new = Vestiging toevoegen
owner-location-add = Vestiging toevoegen
owner-location-edit = Vestiging bewerken
owner-location-form-link = Openbaar formulier
owner-location-name = Naam
owner-location-slug = Korte naam
owner-location-slug-hint = 2 tot 60 kleine letters, cijfers en streepjes; het formulier staat op /f/ gevolgd door deze naam.
owner-location-address = Adres
owner-location-time-zone = Tijdzone
owner-location-time-zone-hint = Een naam zoals Europe/Amsterdam.
owner-location-language = Taal die klanten eerst zien
owner-hours = Openingstijden
owner-hours-hint = Eén tijdvak per dag, bijv. 09:00-17:30. Laat een dag leeg als je dan gesloten bent; laat alle dagen leeg als je altijd open bent.
owner-day-mon = maandag
owner-day-tue = dinsdag
owner-day-wed = woensdag
owner-day-thu = donderdag
owner-day-fri = vrijdag
owner-day-sat = zaterdag
owner-day-sun = zondag
owner-error-time-zone = Onbekende tijdzone: gebruik een naam zoals Europe/Amsterdam.
owner-error-hours = Gebruik UU:MM-UU:MM met openen vóór sluiten, bijv. 09:00-17:30.
owner-error-address = Het adres is te lang: hoogstens { $max } tekens.
owner-error-language = Kies een van de talen die Tellus spreekt.
owner-categories-lead = De onderwerpen die klanten op het formulier kunnen kiezen, in deze volgorde. Inactieve worden niet aangeboden.
owner-category-new = Onderwerp toevoegen
owner-category-add = Onderwerp toevoegen
owner-category-name = Naam
owner-category-position = Volgorde
owner-category-active = Aangeboden aan klanten
owner-error-category-name = Geef een naam van 1 tot { $max } tekens.
owner-error-position = Gebruik een geheel getal van 0 tot { $max }.
owner-profile-lead = De bedrijfsnaam en het logo die klanten zien.
owner-profile-name = Bedrijfsnaam
owner-profile-accent = Accentkleur
owner-profile-accent-hint = Geschreven als #rrggbb, bijv. #1f5f8b. De hoofdknoppen op de pagina’s voor klanten en medewerkers krijgen deze kleur; de tekst erop wordt donker of licht zodat hij leesbaar blijft.
owner-profile-logo = Logo
owner-profile-logo-hint = Een PNG-, JPEG- of WebP-afbeelding van hoogstens 512 KiB.
owner-profile-logo-current = Huidig logo
owner-profile-logo-none = Nog geen logo.
owner-profile-logo-remove = Logo verwijderen
owner-error-profile-name = De naam is te lang: hoogstens { $max } tekens.
owner-error-accent = Gebruik een kleur geschreven als #rrggbb, bijv. #1f5f8b.
owner-error-logo-size = Het logo is te groot: hoogstens { $max }.
owner-error-logo-type = Het logo moet een PNG-, JPEG- of WebP-afbeelding zijn.

## QR-codes en posters
poster-nav = QR-posters
poster-index-title = QR-codes en posters
poster-index-intro = Download de QR-code van een vestiging, of print een poster voor de toonbank, de deur of een tafel. De code opent het feedbackformulier.
poster-spot = Plek (optioneel)
poster-spot-hint = Bijvoorbeeld tafel-4 of toonbank: letters, cijfers, - en _, hoogstens 64. Feedback via deze code toont dan de plek.
poster-spot-invalid = Gebruik voor een plek alleen letters, cijfers, - en _ (hoogstens 64).
poster-spot-apply = Deze plek gebruiken
poster-spot-current = De codes en posters hieronder zijn voor de plek { $spot }.
poster-spot-clear = Zonder plek
poster-no-locations = Er zijn nog geen vestigingen.
poster-col-location = Vestiging
poster-col-code = QR-code
poster-col-poster = Poster
poster-inactive = inactief
poster-a4 = A4-poster
poster-a5 = A5-poster
poster-title = Poster voor { $location }
poster-back = Alle posters
poster-print-hint = Print met Ctrl+P (⌘P op een Mac), op ware grootte, zonder marges.
poster-unhappy = Niet tevreden? Vertel het ons.
poster-happy = Tevreden? Vertel het anderen!
poster-qr-alt = QR-code naar { $url }
staff-filter-all = Alle vestigingen
staff-filter-spot = Plek
staff-filter-apply = Filteren
kiosk-closed-title = We zijn gesloten
kiosk-day-mon = maandag
kiosk-day-tue = dinsdag
kiosk-day-wed = woensdag
kiosk-day-thu = donderdag
kiosk-day-fri = vrijdag
kiosk-day-sat = zaterdag
kiosk-day-sun = zondag
kiosk-day-closed = gesloten
error-form-expired = Deze pagina stond lang open. Je tekst staat er nog: verstuur hem opnieuw.
error-reply-too-many = Je hebt in korte tijd veel antwoorden gestuurd. Je tekst staat er nog: verstuur hem later opnieuw.
