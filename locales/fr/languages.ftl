# Langues : le choix que voient les clients, et ce que propose chaque point de vente

lang-choice-label = Langue
kiosk-lang-choice = Choisissez votre langue
owner-location-languages = Langues proposées aux clients
owner-location-languages-hint = La première langue est toujours proposée. S’il y en a plusieurs, le formulaire, la borne et les pages du client laissent le client choisir.
