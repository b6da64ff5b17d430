# Sprachen: die Auswahl, die Kunden sehen, und was jede Filiale anbietet

lang-choice-label = Sprache
kiosk-lang-choice = Wählen Sie Ihre Sprache
owner-location-languages = Sprachen für Kunden
owner-location-languages-hint = Die erste Sprache wird immer angeboten. Bei mehreren lassen das Formular, der Kiosk und die Seiten des Kunden die Wahl.
