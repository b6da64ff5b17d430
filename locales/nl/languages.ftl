# Talen: de keuze die klanten zien, en wat elke vestiging aanbiedt

lang-choice-label = Taal
kiosk-lang-choice = Kies je taal
owner-location-languages = Talen voor klanten
owner-location-languages-hint = De eerste taal is altijd beschikbaar. Met meer dan één laten het formulier, de kiosk en de pagina's van de klant kiezen.

# What owners write per language (topics, canned answers, gifts).
written-more-languages = Andere talen
written-missing = Nog niet geschreven: klanten die deze taal lezen, krijgen de tekst in de standaardtaal van hun vestiging.
written-missing-in = Ontbreekt in: { $languages }
