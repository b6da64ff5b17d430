# Sprachen: die Auswahl, die Kunden sehen, und was jede Filiale anbietet

lang-choice-label = Sprache
kiosk-lang-choice = Wählen Sie Ihre Sprache
owner-location-languages = Sprachen für Kunden
owner-location-languages-hint = Die erste Sprache wird immer angeboten. Bei mehreren lassen das Formular, der Kiosk und die Seiten des Kunden die Wahl.

# What owners write per language (topics, canned answers, gifts).
written-more-languages = Weitere Sprachen
written-missing = Noch nicht geschrieben: Kunden, die diese Sprache lesen, erhalten den Text in der Standardsprache ihres Standorts.
written-missing-in = Fehlt in: { $languages }
