# Tellus — textes en français. Chaque clé ici doit aussi se trouver dans nl.ftl.

app-name = Tellus

## Accueil
landing-title = Entendez la réclamation avant internet
landing-lead = Vos clients vous disent ce qui n’allait pas, sur la tablette de votre magasin ou en scannant un code QR. Votre personnel répond par e-mail et suit chaque réclamation jusqu’à sa résolution.
landing-staff-login = Connexion du personnel
landing-forms = Donner votre avis

## Formulaire public
form-title = Comment s’est passée votre visite chez { $shop } ?
form-intro = Pas satisfait ? Dites-le-nous. Satisfait ? Dites-le aux autres !
form-faces-legend = Comment était-ce ?
face-1 = Très mécontent
face-2 = Mécontent
face-3 = Content
face-4 = Très content
form-category-legend = À quel sujet ? (facultatif)
form-category-none = Je préfère ne pas le dire
form-message-label = Votre message (facultatif)
form-message-hint = Que s’est-il passé ? Que pourrions-nous faire mieux ?
form-name-label = Votre nom (facultatif)
form-email-label = Votre adresse e-mail (facultatif)
form-email-hint = Seulement si vous souhaitez une réponse de notre part.
form-consent-label = M’écrire par e-mail au sujet de cette réclamation
form-consent-hint = Nous n’utilisons votre adresse que pour cette réclamation.
form-submit = Envoyer
form-errors-title = Veuillez vérifier le formulaire
form-honeypot-label = Laissez ce champ vide

error-face-required = Veuillez choisir un visage.
error-message-too-long = Votre message est trop long : { $max } caractères au maximum (actuellement { $len }).
error-name-too-long = Votre nom est trop long : { $max } caractères au maximum.
error-email-too-long = Cette adresse e-mail est trop longue : { $max } caractères au maximum.
error-email-invalid = Cela ne ressemble pas à une adresse e-mail. Veuillez la vérifier, ou laissez le champ vide.
error-consent-missing = Cochez la case si vous souhaitez que nous vous écrivions, ou effacez l’adresse e-mail.
error-consent-needs-email = Veuillez indiquer votre adresse e-mail pour que nous puissions vous écrire.
error-category-invalid = Veuillez choisir l’un des sujets de la liste.

## Page de remerciement
thanks-title = Merci !
thanks-lead = Nous avons bien reçu votre avis.
thanks-reference = Votre référence
thanks-email-coming = Nous avons envoyé une confirmation à votre adresse e-mail. C’est là que nous vous répondrons.
thanks-follow = Suivre votre réclamation
thanks-follow-hint = Gardez ce lien pour vous : toute personne qui l’a peut lire votre réclamation.
thanks-tell-others = Parlez de votre visite aux autres
thanks-tell-others-lead = Votre avis aide les autres clients, quoi que vous pensiez de nous.
thanks-again = Donner un autre avis

## Page du ticket pour le client
ticket-title = Votre réclamation { $reference }
ticket-status = Statut
status-new = Nouveau
status-open = En cours
status-resolved = Résolu
ticket-you = Vous
ticket-staff = { $shop }
ticket-reply-label = Votre réponse
ticket-reply-submit = Envoyer la réponse
ticket-reply-sent = Votre réponse a été envoyée.
ticket-no-message = (Pas de message : seulement un visage.)
error-reply-empty = Veuillez écrire un message.

## Personnel
staff-login-title = Connexion du personnel
staff-email = Adresse e-mail
staff-password = Mot de passe
staff-login-submit = Se connecter
staff-login-failed = L’adresse e-mail ou le mot de passe est incorrect.
staff-logout = Se déconnecter
staff-inbox = Boîte de réception
staff-quarantine = Quarantaine
staff-settings = Paramètres
nav-skip = Aller au contenu
nav-main = Menu principal
nav-menu = Menu
nav-settings-menu = Pages de paramètres
staff-col-reference = Référence
staff-col-status = Statut
staff-col-location = Point de vente
staff-col-face = Visage
staff-col-category = Sujet
staff-col-age = Âge
staff-inbox-empty = Pas encore de réclamations.
staff-next-page = Plus anciens
staff-ticket-customer = Client
staff-ticket-no-contact = Pas d’adresse e-mail : votre réponse s’affiche uniquement sur la page privée du client.
staff-reply-submit = Envoyer la réponse
staff-reply-empty = Veuillez écrire une réponse.
staff-status-label = Statut
staff-status-submit = Changer le statut
staff-mail-pending = Envoi en cours
staff-mail-sent = Envoyé
staff-mail-failed-detail = L’e-mail à { $recipient } n’a pas pu être distribué : { $error }
staff-quarantine-lead = Envois retenus comme spam possible (trop rapides, sans jeton de formulaire valide, au-delà de la limite d’envois ou avec le champ caché rempli). Libérez ceux qui sont authentiques.
staff-quarantine-empty = Rien en quarantaine.
staff-quarantine-release = Libérer
staff-quarantine-reason = Motif
staff-review-links = Liens vers les avis
staff-review-links-lead = Affichés à chaque client sur la page de remerciement, quel que soit le visage choisi. Les clients satisfaits aiment en parler aux autres, et une réclamation bien traitée donne souvent l’avis le plus chaleureux ; inviter tout le monde de la même façon est équitable, et les sites d’avis l’exigent.
staff-review-label = Nom (p. ex. Google)
staff-review-url = Adresse (https://…)
staff-review-add = Ajouter
staff-review-remove = Retirer
error-review-url = L’adresse doit commencer par http:// ou https://.
error-review-label = Veuillez donner un nom au lien (60 caractères au maximum).
age-minutes = { $n } min
age-hours = { $n } h
age-days = { $n } j

## Mise en route
setup-title = Configurer Tellus
setup-lead = Créez le compte du propriétaire et votre premier point de vente.
setup-owner = Propriétaire
setup-name = Votre nom
setup-location = Premier point de vente
setup-location-name = Nom du point de vente
setup-location-slug = Nom court pour l’adresse web
setup-location-slug-hint = Lettres minuscules, chiffres et tirets, p. ex. rue-haute.
setup-submit = Créer
error-password-short = Le mot de passe doit compter au moins { $min } caractères.
error-name-required = Veuillez indiquer un nom (100 caractères au maximum).
error-slug-invalid = Utilisez de 2 à 60 lettres minuscules, chiffres et tirets.
error-slug-taken = Ce nom court est déjà utilisé.
error-email-taken = Cette adresse e-mail a déjà un compte.

## Erreurs
error-title = Un problème est survenu
error-not-found = Cette page n’existe pas, ou vous n’y avez pas accès.
error-bad-request = Nous n’avons pas pu lire ce qui a été envoyé. Veuillez revenir en arrière et réessayer.
error-forbidden = Ce formulaire a expiré ou a été envoyé depuis un autre site. Veuillez revenir en arrière, recharger la page et réessayer.
error-too-many = Trop de tentatives. Veuillez patienter quelques minutes et réessayer.
error-too-large = Ce qui a été envoyé est trop volumineux.
error-unavailable = Nous sommes momentanément indisponibles. Veuillez réessayer dans un instant.
error-internal = Un problème est survenu de notre côté. Rien de ce que vous avez déjà envoyé n’est perdu. Veuillez réessayer.
error-back-home = Retour au début

## E-mails
mail-ack-subject = Nous avons bien reçu votre avis ({ $reference })
mail-ack-greeting = Bonjour { $name },
mail-ack-greeting-anonymous = Bonjour,
mail-ack-body = Merci d’avoir dit à { $shop } ce qui n’allait pas. Votre référence est { $reference }. Nous vous répondrons par e-mail.
mail-ack-link = Sur votre page privée, vous pouvez lire votre réclamation et chaque réponse, et répondre :
mail-your-message = Votre message :
mail-footer = Vous recevez cet e-mail parce que vous avez donné votre adresse avec un avis pour { $shop } et demandé que nous vous écrivions à ce sujet.
mail-alert-subject = Nouvel avis { $reference } à { $location }
mail-alert-body = Nouvel avis à { $location } : { $face }.
mail-alert-link = Ouvrir le ticket :
mail-alert-footer = Vous recevez cet e-mail parce que vous faites partie du personnel de { $shop }.
mail-reply-subject = Re: votre avis ({ $reference })
mail-reply-link = Lire toute la conversation et répondre :
mail-customer-reply-subject = Le client a répondu au ticket { $reference }

## Pages du propriétaire (points de vente, sujets, profil de l’entreprise)

## Codes QR et affiches

## Borne
kiosk-pair-title = Associer cette tablette
kiosk-pair-lead = Tapez le code d’association que le propriétaire a créé sous Bornes. La tablette affiche ensuite l’écran d’avis de ce point de vente.
kiosk-pair-code = Code d’association
kiosk-pair-submit = Associer
kiosk-pair-failed = Ce code est inconnu, déjà utilisé ou expiré. Demandez-en un nouveau.
kiosk-inactive-title = Cette borne n’est pas active
kiosk-inactive-lead = Veuillez vous adresser à un membre du personnel.
kiosk-details-title = Dites-nous-en plus (facultatif)
kiosk-skip = Passer
kiosk-tell-others = Parlez-en : scannez avec votre téléphone
kiosk-still-there = Vous êtes toujours là ? Retour au début dans
kiosk-continue = Continuer
# Borne : l’indication hors ligne pour le personnel
kiosk-offline = Hors ligne
kiosk-waiting = { $count } en attente
kiosk-waiting-label = Pas encore envoyé : { $count } en attente du réseau
kiosk-owner-title = Bornes
kiosk-code-title = Code d’association
kiosk-code-lead = Ouvrez /kiosk/pair sur la tablette et tapez ce code. Il fonctionne une seule fois, pendant 10 minutes.
kiosk-new-title = Associer une nouvelle tablette
kiosk-name = Nom
kiosk-make-code = Créer un code d’association
kiosk-last-seen = Dernière activité
kiosk-revoke = Révoquer
kiosk-revoked = Révoquée
kiosk-nav = Bornes
owner-locations = Points de vente
owner-categories = Sujets
owner-profile = Profil
owner-save = Enregistrer
owner-active = Actif
owner-inactive = Inactif
owner-activate = Activer
owner-deactivate = Désactiver
owner-col-status = Statut
owner-col-actions = Actions
owner-location-new = Ajouter un point de vente
owner-location-add = Ajouter le point de vente
owner-location-edit = Modifier le point de vente
owner-location-form-link = Formulaire public
owner-location-name = Nom
owner-location-slug = Nom court
owner-location-slug-hint = De 2 à 60 lettres minuscules, chiffres et tirets ; le formulaire se trouve à /f/ suivi de ce nom.
owner-location-address = Adresse
owner-location-time-zone = Fuseau horaire
owner-location-time-zone-hint = Un nom comme Europe/Amsterdam.
owner-location-language = Langue que les clients voient d’abord
owner-hours = Heures d’ouverture
owner-hours-hint = Une plage par jour, p. ex. 09:00-17:30. Laissez un jour vide s’il est fermé ; laissez tous les jours vides si c’est toujours ouvert.
owner-day-mon = Lundi
owner-day-tue = Mardi
owner-day-wed = Mercredi
owner-day-thu = Jeudi
owner-day-fri = Vendredi
owner-day-sat = Samedi
owner-day-sun = Dimanche
owner-error-time-zone = Fuseau horaire inconnu : utilisez un nom comme Europe/Amsterdam.
owner-error-hours = Utilisez HH:MM-HH:MM, l’ouverture avant la fermeture, p. ex. 09:00-17:30.
owner-error-address = L’adresse est trop longue : { $max } caractères au maximum.
owner-error-language = Choisissez une des langues que Tellus parle.
owner-categories-lead = Les sujets que les clients peuvent choisir dans le formulaire, dans cet ordre. Les sujets inactifs ne sont pas proposés.
owner-category-new = Ajouter un sujet
owner-category-add = Ajouter le sujet
owner-category-name = Nom
owner-category-position = Ordre
owner-category-active = Proposé aux clients
owner-error-category-name = Donnez un nom de 1 à { $max } caractères.
owner-error-position = Utilisez un nombre entier de 0 à { $max }.
owner-profile-lead = Le nom et le logo de l’entreprise que voient les clients.
owner-profile-name = Nom de l’entreprise
owner-profile-accent = Couleur d’accent
owner-profile-accent-hint = Écrite sous la forme #rrggbb, p. ex. #1f5f8b. Les boutons principaux des pages clients et personnel prennent cette couleur ; le texte dessus devient foncé ou clair pour rester lisible.
owner-profile-logo = Logo
owner-profile-logo-hint = Une image PNG, JPEG ou WebP de 512 Kio au maximum.
owner-profile-logo-current = Logo actuel
owner-profile-logo-none = Pas encore de logo.
owner-profile-logo-remove = Retirer le logo
owner-error-profile-name = Le nom est trop long : { $max } caractères au maximum.
owner-error-accent = Utilisez une couleur écrite sous la forme #rrggbb, p. ex. #1f5f8b.
owner-error-logo-size = Le logo est trop volumineux : { $max } au maximum.
owner-error-logo-type = Le logo doit être une image PNG, JPEG ou WebP.

## Codes QR et affiches
poster-nav = Affiches QR
poster-index-title = Codes QR et affiches
poster-index-intro = Téléchargez le code QR d’un point de vente, ou imprimez une affiche pour le comptoir, la porte ou une table. Le code ouvre le formulaire d’avis.
poster-spot = Emplacement (facultatif)
poster-spot-hint = Par exemple table-4 ou comptoir : lettres, chiffres, - et _, 64 au maximum. Les avis donnés via ce code indiquent alors l’emplacement.
poster-spot-invalid = Pour un emplacement, utilisez uniquement des lettres, des chiffres, - et _ (64 au maximum).
poster-spot-apply = Utiliser cet emplacement
poster-spot-current = Les codes et affiches ci-dessous sont pour l’emplacement { $spot }.
poster-spot-clear = Sans emplacement
poster-no-locations = Il n’y a pas encore de point de vente.
poster-col-location = Point de vente
poster-col-code = Code QR
poster-col-poster = Affiche
poster-inactive = inactif
poster-a4 = Affiche A4
poster-a5 = Affiche A5
poster-title = Affiche pour { $location }
poster-back = Toutes les affiches
poster-print-hint = Imprimez avec Ctrl+P (⌘P sur Mac), en taille réelle, sans marges.
poster-unhappy = Pas satisfait ? Dites-le-nous.
poster-happy = Satisfait ? Dites-le aux autres !
poster-qr-alt = Code QR vers { $url }
staff-filter-all = Tous les points de vente
staff-filter-spot = Emplacement
staff-filter-apply = Filtrer
kiosk-closed-title = Nous sommes fermés
kiosk-day-mon = Lundi
kiosk-day-tue = Mardi
kiosk-day-wed = Mercredi
kiosk-day-thu = Jeudi
kiosk-day-fri = Vendredi
kiosk-day-sat = Samedi
kiosk-day-sun = Dimanche
kiosk-day-closed = fermé
error-form-expired = Cette page est restée ouverte longtemps. Votre texte est toujours là : veuillez l’envoyer à nouveau.
error-reply-too-many = Vous avez envoyé beaucoup de réponses en peu de temps. Votre texte est toujours là : veuillez l’envoyer à nouveau plus tard.
