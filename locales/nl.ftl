# Tellus — Nederlandse teksten. Elke sleutel hier staat ook in en.ftl.

app-name = Tellus
lang-switch = English
lang-switch-label = Language: English

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
staff-col-reference = Referentie
staff-col-status = Status
staff-col-location = Locatie
staff-col-face = Gezicht
staff-col-category = Onderwerp
staff-col-age = Leeftijd
staff-inbox-empty = Nog geen klachten.
staff-next-page = Ouder
staff-ticket-customer = Klant
staff-ticket-no-contact = Geen e-mailadres: je antwoord staat alleen op de privépagina van de klant.
staff-reply-label = Antwoord aan de klant
staff-reply-submit = Antwoord versturen
staff-reply-empty = Schrijf een antwoord.
staff-status-label = Status
staff-status-submit = Status wijzigen
staff-mail-pending = Wordt verstuurd
staff-mail-sent = Verstuurd
staff-mail-failed = Kon niet worden bezorgd
staff-mail-failed-detail = De e-mail aan { $recipient } kon niet worden bezorgd: { $error }
staff-quarantine-lead = Inzendingen die zijn tegengehouden als mogelijke spam (te snel, zonder geldig formuliertoken, boven de limiet of met het verborgen veld ingevuld). Laat de echte door.
staff-quarantine-empty = Niets in quarantaine.
staff-quarantine-release = Doorlaten
staff-quarantine-reason = Reden
staff-review-links = Reviewlinks
staff-review-links-lead = Elke klant ziet ze op de bedankpagina, welk gezicht hij ook koos.
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
setup-lead = Maak het account van de eigenaar en je eerste locatie aan.
setup-owner = Eigenaar
setup-name = Je naam
setup-location = Eerste locatie
setup-location-name = Naam van de locatie
setup-location-slug = Korte naam voor het webadres
setup-location-slug-hint = Kleine letters, cijfers en streepjes, bijv. hoofdstraat.
setup-submit = Aanmaken
setup-done = Tellus is klaar. Log in met je e-mailadres en wachtwoord.
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
