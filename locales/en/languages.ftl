# Languages: the choice customers see, and what each location offers

lang-choice-label = Language
kiosk-lang-choice = Choose your language
owner-location-languages = Languages offered to customers
owner-location-languages-hint = The first language is always offered. With more than one, the form, the kiosk and the customer's pages let customers choose.

# What owners write per language (topics, canned answers, gifts).
written-more-languages = Other languages
written-missing = Not written yet: customers who read this language get the text in their location's default language.
written-missing-in = Missing in: { $languages }
