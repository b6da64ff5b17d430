# Langues : le choix que voient les clients, et ce que propose chaque point de vente

lang-choice-label = Langue
kiosk-lang-choice = Choisissez votre langue
owner-location-languages = Langues proposées aux clients
owner-location-languages-hint = La première langue est toujours proposée. S’il y en a plusieurs, le formulaire, la borne et les pages du client laissent le client choisir.

# What owners write per language (topics, canned answers, gifts).
written-more-languages = Autres langues
written-missing = Pas encore rédigé : les clients qui lisent cette langue reçoivent le texte dans la langue par défaut de leur point de vente.
written-missing-in = Manque en : { $languages }
