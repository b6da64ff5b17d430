# Tellus — deutsche Texte. Jeder Schlüssel hier steht auch in en.ftl.

app-name = Tellus

## Startseite
landing-title = Hören Sie Beschwerden, bevor das Internet sie hört
landing-lead = Kunden sagen Ihnen auf dem Tablet Ihres Geschäfts oder per QR-Code, was schiefgelaufen ist. Ihre Mitarbeiter antworten per E-Mail und verfolgen jede Beschwerde bis zur Lösung.
landing-staff-login = Mitarbeiter-Anmeldung
landing-forms = Feedback geben

## Öffentliches Formular
form-title = Wie war Ihr Besuch bei { $shop }?
form-intro = Nicht zufrieden? Sagen Sie es uns. Zufrieden? Sagen Sie es weiter!
form-faces-legend = Wie war es?
face-1 = Sehr unzufrieden
face-2 = Unzufrieden
face-3 = Zufrieden
face-4 = Sehr zufrieden
form-category-legend = Worum ging es? (optional)
form-category-none = Keine Angabe
form-message-label = Ihre Nachricht (optional)
form-message-hint = Was ist passiert? Was können wir besser machen?
form-name-label = Ihr Name (optional)
form-email-label = Ihre E-Mail-Adresse (optional)
form-email-hint = Nur wenn Sie eine Antwort von uns möchten.
form-consent-label = Mir zu dieser Beschwerde per E-Mail schreiben
form-consent-hint = Wir verwenden Ihre Adresse nur für diese Beschwerde.
form-submit = Senden
form-errors-title = Bitte prüfen Sie das Formular
form-honeypot-label = Dieses Feld bitte leer lassen

error-face-required = Bitte wählen Sie ein Gesicht.
error-message-too-long = Ihre Nachricht ist zu lang: höchstens { $max } Zeichen (jetzt { $len }).
error-name-too-long = Ihr Name ist zu lang: höchstens { $max } Zeichen.
error-email-too-long = Diese E-Mail-Adresse ist zu lang: höchstens { $max } Zeichen.
error-email-invalid = Das sieht nicht nach einer E-Mail-Adresse aus. Bitte prüfen Sie sie oder lassen Sie das Feld leer.
error-consent-missing = Kreuzen Sie das Kästchen an, wenn wir Ihnen per E-Mail schreiben sollen, oder löschen Sie die E-Mail-Adresse.
error-consent-needs-email = Bitte geben Sie Ihre E-Mail-Adresse ein, damit wir Ihnen schreiben können.
error-category-invalid = Bitte wählen Sie eines der aufgeführten Themen.

## Dankeseite
thanks-title = Vielen Dank!
thanks-lead = Wir haben Ihr Feedback erhalten.
thanks-reference = Ihre Referenz
thanks-email-coming = Wir haben Ihnen eine Bestätigung an Ihre E-Mail-Adresse geschickt. Wir antworten Ihnen dort.
thanks-follow = Ihre Beschwerde verfolgen
thanks-follow-hint = Behalten Sie diesen Link für sich: Wer ihn hat, kann Ihre Beschwerde lesen.
thanks-tell-others = Erzählen Sie anderen von Ihrem Besuch
thanks-tell-others-lead = Ihre Bewertung hilft anderen Kunden, ganz gleich, was Sie von uns halten.
thanks-again = Weiteres Feedback geben

## Ticketseite des Kunden
ticket-title = Ihre Beschwerde { $reference }
ticket-status = Status
status-new = Neu
status-open = In Bearbeitung
status-resolved = Gelöst
ticket-you = Sie
ticket-staff = { $shop }
ticket-reply-label = Ihre Antwort
ticket-reply-submit = Antwort senden
ticket-reply-sent = Ihre Antwort wurde gesendet.
ticket-no-message = (Keine Nachricht: nur ein Gesicht.)
error-reply-empty = Bitte schreiben Sie eine Nachricht.

## Mitarbeiter
staff-login-title = Mitarbeiter-Anmeldung
staff-email = E-Mail-Adresse
staff-password = Passwort
staff-login-submit = Anmelden
staff-login-failed = E-Mail-Adresse oder Passwort ist falsch.
staff-logout = Abmelden
staff-inbox = Posteingang
staff-quarantine = Quarantäne
staff-settings = Einstellungen
nav-skip = Zum Inhalt springen
nav-main = Hauptmenü
nav-menu = Menü
nav-settings-menu = Einstellungsseiten
staff-col-reference = Referenz
staff-col-status = Status
staff-col-location = Standort
staff-col-face = Gesicht
staff-col-category = Thema
staff-col-age = Alter
staff-inbox-empty = Noch keine Beschwerden.
staff-next-page = Ältere
staff-ticket-customer = Kunde
staff-ticket-no-contact = Keine E-Mail-Adresse: Ihre Antwort erscheint nur auf der persönlichen Seite des Kunden.
staff-reply-submit = Antwort senden
staff-reply-empty = Bitte schreiben Sie eine Antwort.
staff-status-label = Status
staff-status-submit = Status ändern
staff-mail-pending = Wird gesendet
staff-mail-sent = Gesendet
staff-mail-failed-detail = Die E-Mail an { $recipient } konnte nicht zugestellt werden: { $error }
staff-quarantine-lead = Einsendungen, die als möglicher Spam zurückgehalten werden (zu schnell, ohne gültiges Formular-Token, über dem Limit oder mit ausgefülltem verstecktem Feld). Geben Sie die echten frei.
staff-quarantine-empty = Nichts in Quarantäne.
staff-quarantine-release = Freigeben
staff-quarantine-reason = Grund
staff-review-links = Bewertungslinks
staff-review-links-lead = Diese Links werden jedem Kunden auf der Dankeseite gezeigt, egal welches Gesicht er gewählt hat. Zufriedene Kunden erzählen gern anderen davon, und eine gut bearbeitete Beschwerde führt oft zur herzlichsten Bewertung; alle auf dieselbe Weise einzuladen ist fair, und die Bewertungsportale verlangen es.
staff-review-label = Name (z. B. Google)
staff-review-url = Adresse (https://…)
staff-review-add = Hinzufügen
staff-review-remove = Entfernen
error-review-url = Die Adresse muss mit http:// oder https:// beginnen.
error-review-label = Bitte geben Sie dem Link einen Namen (höchstens 60 Zeichen).
age-minutes = { $n } Min.
age-hours = { $n } Std.
age-days = { $n } Tg.

## Einrichtung
setup-title = Tellus einrichten
setup-lead = Legen Sie das Inhaberkonto und Ihren ersten Standort an.
setup-owner = Inhaber
setup-name = Ihr Name
setup-location = Erster Standort
setup-location-name = Name des Standorts
setup-location-slug = Kurzname für die Webadresse
setup-location-slug-hint = Kleinbuchstaben, Ziffern und Bindestriche, z. B. hauptstrasse.
setup-submit = Anlegen
error-password-short = Das Passwort muss mindestens { $min } Zeichen lang sein.
error-name-required = Bitte geben Sie einen Namen ein (höchstens 100 Zeichen).
error-slug-invalid = Verwenden Sie 2 bis 60 Kleinbuchstaben, Ziffern und Bindestriche.
error-slug-taken = Dieser Kurzname ist bereits vergeben.
error-email-taken = Für diese E-Mail-Adresse gibt es bereits ein Konto.

## Fehler
error-title = Etwas ist schiefgelaufen
error-not-found = Diese Seite gibt es nicht, oder Sie haben keinen Zugriff darauf.
error-bad-request = Wir konnten das Gesendete nicht lesen. Bitte gehen Sie zurück und versuchen Sie es erneut.
error-forbidden = Dieses Formular ist abgelaufen oder wurde von einer anderen Website gesendet. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
error-too-many = Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.
error-too-large = Das Gesendete ist zu groß.
error-unavailable = Wir sind kurzzeitig nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.
error-internal = Bei uns ist etwas schiefgelaufen. Nichts, was Sie bereits gesendet haben, ist verloren. Bitte versuchen Sie es erneut.
error-back-home = Zurück zum Anfang

## E-Mail
mail-ack-subject = Wir haben Ihr Feedback erhalten ({ $reference })
mail-ack-greeting = Hallo { $name },
mail-ack-greeting-anonymous = Hallo,
mail-ack-body = Vielen Dank, dass Sie { $shop } gesagt haben, was schiefgelaufen ist. Ihre Referenz ist { $reference }. Wir antworten Ihnen per E-Mail.
mail-ack-link = Auf Ihrer persönlichen Seite können Sie Ihre Beschwerde und jede Antwort lesen und selbst antworten:
mail-your-message = Ihre Nachricht:
mail-footer = Sie erhalten diese E-Mail, weil Sie bei Ihrem Feedback für { $shop } Ihre Adresse angegeben und gebeten haben, dass wir Ihnen dazu schreiben.
mail-alert-subject = Neues Feedback { $reference } bei { $location }
mail-alert-body = Neues Feedback bei { $location }: { $face }.
mail-alert-link = Ticket öffnen:
mail-alert-footer = Sie erhalten diese E-Mail, weil Sie Mitarbeiter bei { $shop } sind.
mail-reply-subject = Re: Ihr Feedback ({ $reference })
mail-reply-link = Das ganze Gespräch lesen und antworten:
mail-customer-reply-subject = Antwort des Kunden zu { $reference }

## Inhaberseiten (Standorte, Kategorien, Unternehmensprofil)

## QR-Codes und Poster

## Kiosk
kiosk-pair-title = Dieses Tablet koppeln
kiosk-pair-lead = Geben Sie den Kopplungscode ein, den der Inhaber unter Kiosks erstellt hat. Das Tablet zeigt dann den Feedback-Bildschirm für diesen Standort.
kiosk-pair-code = Kopplungscode
kiosk-pair-submit = Koppeln
kiosk-pair-failed = Dieser Code ist unbekannt, bereits benutzt oder abgelaufen. Fragen Sie nach einem neuen.
kiosk-inactive-title = Dieser Kiosk ist nicht aktiv
kiosk-inactive-lead = Bitte wenden Sie sich an einen Mitarbeiter.
kiosk-details-title = Erzählen Sie uns mehr (optional)
kiosk-skip = Überspringen
kiosk-tell-others = Sagen Sie es weiter: mit dem Handy scannen
kiosk-still-there = Sind Sie noch da? Neustart in
kiosk-continue = Weiter
# Kiosk: das Offline-Zeichen für Mitarbeiter
kiosk-offline = Offline
kiosk-waiting = { $count } wartend
kiosk-waiting-label = Noch nicht gesendet: { $count } Antworten warten auf das Netzwerk
kiosk-owner-title = Kiosks
kiosk-code-title = Kopplungscode
kiosk-code-lead = Öffnen Sie /kiosk/pair auf dem Tablet und geben Sie diesen Code ein. Er funktioniert einmal, 10 Minuten lang.
kiosk-new-title = Neues Tablet koppeln
kiosk-name = Name
kiosk-make-code = Kopplungscode erstellen
kiosk-last-seen = Zuletzt gesehen
kiosk-revoke = Widerrufen
kiosk-revoked = Widerrufen
kiosk-nav = Kiosks
owner-locations = Standorte
owner-categories = Themen
owner-profile = Profil
owner-save = Speichern
owner-active = Aktiv
owner-inactive = Inaktiv
owner-activate = Aktivieren
owner-deactivate = Deaktivieren
owner-col-status = Status
owner-col-actions = Aktionen
owner-location-new = Standort hinzufügen
owner-location-add = Hinzufügen
owner-location-edit = Standort bearbeiten
owner-location-form-link = Öffentliches Formular
owner-location-name = Name
owner-location-slug = Kurzname
owner-location-slug-hint = 2 bis 60 Kleinbuchstaben, Ziffern und Bindestriche; das Formular steht unter /f/ gefolgt von diesem Namen.
owner-location-address = Adresse
owner-location-time-zone = Zeitzone
owner-location-time-zone-hint = Ein Name wie Europe/Amsterdam.
owner-location-language = Sprache, die Kunden zuerst sehen
owner-hours = Öffnungszeiten
owner-hours-hint = Ein Zeitraum pro Tag, z. B. 09:00-17:30. Lassen Sie einen Tag leer, wenn geschlossen ist; lassen Sie alle Tage leer, wenn immer geöffnet ist.
owner-day-mon = Montag
owner-day-tue = Dienstag
owner-day-wed = Mittwoch
owner-day-thu = Donnerstag
owner-day-fri = Freitag
owner-day-sat = Samstag
owner-day-sun = Sonntag
owner-error-time-zone = Unbekannte Zeitzone: Verwenden Sie einen Namen wie Europe/Amsterdam.
owner-error-hours = Verwenden Sie HH:MM-HH:MM, Öffnung vor Schließung, z. B. 09:00-17:30.
owner-error-address = Die Adresse ist zu lang: höchstens { $max } Zeichen.
owner-error-language = Wählen Sie eine der Sprachen, die Tellus spricht.
owner-categories-lead = Die Themen, die Kunden im Formular wählen können, in dieser Reihenfolge. Inaktive werden nicht angeboten.
owner-category-new = Kategorie hinzufügen
owner-category-add = Hinzufügen
owner-category-name = Name
owner-category-position = Reihenfolge
owner-category-active = Wird Kunden angeboten
owner-error-category-name = Geben Sie einen Namen mit 1 bis { $max } Zeichen an.
owner-error-position = Verwenden Sie eine ganze Zahl von 0 bis { $max }.
owner-profile-lead = Der Unternehmensname und das Logo, die Kunden sehen.
owner-profile-name = Unternehmensname
owner-profile-accent = Akzentfarbe
owner-profile-accent-hint = Geschrieben als #rrggbb, z. B. #1f5f8b. Die Hauptschaltflächen auf den Seiten für Kunden und Mitarbeiter erhalten diese Farbe; der Text darauf wird dunkel oder hell, damit er lesbar bleibt.
owner-profile-logo = Logo
owner-profile-logo-hint = Ein PNG-, JPEG- oder WebP-Bild von höchstens 512 KiB.
owner-profile-logo-current = Aktuelles Logo
owner-profile-logo-none = Noch kein Logo.
owner-profile-logo-remove = Logo entfernen
owner-error-profile-name = Der Name ist zu lang: höchstens { $max } Zeichen.
owner-error-accent = Verwenden Sie eine Farbe im Format #rrggbb, z. B. #1f5f8b.
owner-error-logo-size = Das Logo ist zu groß: höchstens { $max }.
owner-error-logo-type = Das Logo muss ein PNG-, JPEG- oder WebP-Bild sein.

## QR-Codes und Poster
poster-nav = QR-Poster
poster-index-title = QR-Codes und Poster
poster-index-intro = Laden Sie den QR-Code eines Standorts herunter oder drucken Sie ein Poster für die Theke, die Tür oder einen Tisch. Der Code öffnet das Feedback-Formular.
poster-spot = Platz (optional)
poster-spot-hint = Zum Beispiel tisch-4 oder theke: Buchstaben, Ziffern, - und _, höchstens 64. Feedback über diesen Code zeigt dann den Platz.
poster-spot-invalid = Verwenden Sie für einen Platz nur Buchstaben, Ziffern, - und _ (höchstens 64).
poster-spot-apply = Diesen Platz verwenden
poster-spot-current = Die Codes und Poster unten gelten für den Platz { $spot }.
poster-spot-clear = Ohne Platz
poster-no-locations = Es gibt noch keine Standorte.
poster-col-location = Standort
poster-col-code = QR-Code
poster-col-poster = Poster
poster-inactive = inaktiv
poster-a4 = A4-Poster
poster-a5 = A5-Poster
poster-title = Poster für { $location }
poster-back = Alle Poster
poster-print-hint = Drucken Sie mit Strg+P (⌘P auf einem Mac), in Originalgröße, ohne Ränder.
poster-unhappy = Nicht zufrieden? Sagen Sie es uns.
poster-happy = Zufrieden? Sagen Sie es weiter!
poster-qr-alt = QR-Code zu { $url }
staff-filter-all = Alle Standorte
staff-filter-spot = Platz
staff-filter-apply = Filtern
kiosk-closed-title = Wir haben geschlossen
kiosk-day-mon = Montag
kiosk-day-tue = Dienstag
kiosk-day-wed = Mittwoch
kiosk-day-thu = Donnerstag
kiosk-day-fri = Freitag
kiosk-day-sat = Samstag
kiosk-day-sun = Sonntag
kiosk-day-closed = geschlossen
error-form-expired = Diese Seite war lange geöffnet. Ihr Text ist noch da: Bitte senden Sie ihn erneut.
error-reply-too-many = Sie haben in kurzer Zeit viele Antworten gesendet. Ihr Text ist noch da: Bitte senden Sie ihn später erneut.
