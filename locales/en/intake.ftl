# Tellus — English messages. Every key here must also be in nl.ftl.

app-name = Tellus

## Landing
landing-title = Hear a complaint before the internet does
landing-lead = Customers tell you what went wrong on your shop's tablet or by scanning a QR code. Your staff answer by email and track every complaint to resolution.
landing-staff-login = Staff login
landing-forms = Give feedback

## Public form
form-title = How was your visit to { $shop }?
form-intro = Not happy? Tell us. Happy? Tell others!
form-faces-legend = How was it?
face-1 = Very unhappy
face-2 = Unhappy
face-3 = Happy
face-4 = Very happy
form-category-legend = What was it about? (optional)
form-category-none = Rather not say
form-message-label = Your message (optional)
form-message-hint = What happened? What could we do better?
form-name-label = Your name (optional)
form-email-label = Your email address (optional)
form-email-hint = Only if you want an answer from us.
form-consent-label = Email me about this complaint
form-consent-hint = We use your address only for this complaint.
form-submit = Send
form-errors-title = Please check the form
form-honeypot-label = Leave this field empty

error-face-required = Please choose a face.
error-message-too-long = Your message is too long: at most { $max } characters (now { $len }).
error-name-too-long = Your name is too long: at most { $max } characters.
error-email-too-long = That email address is too long: at most { $max } characters.
error-email-invalid = That does not look like an email address. Please check it, or leave it empty.
error-consent-missing = Tick the box if you want us to email you, or clear the email address.
error-consent-needs-email = Please fill in your email address so we can email you.
error-category-invalid = Please choose one of the listed topics.

## Thank-you page
thanks-title = Thank you!
thanks-lead = We have received your feedback.
thanks-reference = Your reference
thanks-email-coming = We have sent a confirmation to your email address. We will answer you there.
thanks-follow = Follow your complaint
thanks-follow-hint = Keep this link to yourself: anyone with it can read your complaint.
thanks-tell-others = Tell others about your visit
thanks-tell-others-lead = Your review helps other customers, whatever you think of us.
thanks-again = Give more feedback

## Customer ticket page
ticket-title = Your complaint { $reference }
ticket-status = Status
status-new = New
status-open = Being handled
status-resolved = Resolved
ticket-you = You
ticket-staff = { $shop }
ticket-reply-label = Your reply
ticket-reply-submit = Send reply
ticket-reply-sent = Your reply has been sent.
ticket-no-message = (No message: only a face.)
error-reply-empty = Please write a message.

## Staff
staff-login-title = Staff login
staff-email = Email address
staff-password = Password
staff-login-submit = Log in
staff-login-failed = Email address or password is incorrect.
staff-logout = Log out
staff-inbox = Inbox
staff-quarantine = Quarantine
staff-settings = Settings
nav-skip = Skip to the page
nav-main = Main
nav-menu = Menu
nav-settings-menu = Settings pages
staff-col-reference = Reference
staff-col-status = Status
staff-col-location = Location
staff-col-face = Face
staff-col-category = Topic
staff-col-age = Age
staff-inbox-empty = No complaints yet.
staff-next-page = Older
staff-ticket-customer = Customer
staff-ticket-no-contact = No email address: your reply is shown on the customer's private page only.
staff-reply-submit = Send reply
staff-reply-empty = Please write a reply.
staff-status-label = Status
staff-status-submit = Change status
staff-mail-pending = Sending
staff-mail-sent = Sent
staff-mail-failed-detail = The email to { $recipient } could not be delivered: { $error }
staff-quarantine-lead = Submissions held back as possible spam (too fast, without a valid form token, over the rate limit or with the hidden field filled in). Release the genuine ones.
staff-quarantine-empty = Nothing in quarantine.
staff-quarantine-release = Release
staff-quarantine-reason = Reason
staff-review-links = Review links
staff-review-links-lead = Shown to every customer on the thank-you page, whatever face they chose. Happy customers are glad to tell others, and a complaint handled well often makes the warmest review; inviting everyone the same way is fair, and the review sites require it.
staff-review-label = Name (e.g. Google)
staff-review-url = Address (https://…)
staff-review-add = Add
staff-review-remove = Remove
error-review-url = The address must start with http:// or https://.
error-review-label = Please give the link a name (at most 60 characters).
age-minutes = { $n } min
age-hours = { $n } h
age-days = { $n } d

## Setup
setup-title = Set up Tellus
setup-lead = Create the owner account and your first location.
setup-owner = Owner
setup-name = Your name
setup-location = First location
setup-location-name = Location name
setup-location-slug = Short name for the web address
setup-location-slug-hint = Lowercase letters, digits and dashes, e.g. main-street.
setup-submit = Create
error-password-short = The password must be at least { $min } characters.
error-name-required = Please fill in a name (at most 100 characters).
error-slug-invalid = Use 2 to 60 lowercase letters, digits and dashes.
error-slug-taken = That short name is already in use.
error-email-taken = That email address already has an account.

## Errors
error-title = Something went wrong
error-not-found = This page does not exist, or you have no access to it.
error-bad-request = We could not read what was sent. Please go back and try again.
error-forbidden = This form has expired or was sent from another site. Please go back, reload the page and try again.
error-too-many = Too many attempts. Please wait a few minutes and try again.
error-too-large = What was sent is too large.
error-unavailable = We are briefly unavailable. Please try again in a moment.
error-internal = Something went wrong on our side. Nothing you already sent is lost. Please try again.
error-back-home = Back to the start

## Mail
mail-ack-subject = We received your feedback ({ $reference })
mail-ack-greeting = Hello { $name },
mail-ack-greeting-anonymous = Hello,
mail-ack-body = Thank you for telling { $shop } what went wrong. Your reference is { $reference }. We will answer you by email.
mail-ack-link = You can read your complaint and every answer, and reply, on your private page:
mail-your-message = Your message:
mail-footer = You receive this email because you gave your address with feedback for { $shop } and asked us to email you about it.
mail-alert-subject = New feedback { $reference } at { $location }
mail-alert-body = New feedback at { $location }: { $face }.
mail-alert-link = Open the ticket:
mail-alert-footer = You receive this email because you are staff at { $shop }.
mail-reply-subject = Re: your feedback ({ $reference })
mail-reply-link = Read the whole conversation and reply:
mail-customer-reply-subject = Customer replied on { $reference }

## Owner pages (locations, categories, business profile)

## QR codes and posters

## Kiosk
kiosk-pair-title = Pair this tablet
kiosk-pair-lead = Type the pairing code the owner made under Kiosks. The tablet then shows the feedback screen for that location.
kiosk-pair-code = Pairing code
kiosk-pair-submit = Pair
kiosk-pair-failed = That code is unknown, already used, or expired. Ask for a new one.
kiosk-inactive-title = This kiosk is not active
kiosk-inactive-lead = Please ask a member of staff.
kiosk-details-title = Tell us more (optional)
kiosk-skip = Skip
kiosk-tell-others = Tell others: scan with your phone
kiosk-still-there = Are you still there? Starting again in
kiosk-continue = Continue
# Kiosk: the offline sign for staff
kiosk-offline = Offline
kiosk-waiting = { $count } waiting
kiosk-waiting-label = Not sent yet: { $count } answers waiting for the network
kiosk-owner-title = Kiosks
kiosk-code-title = Pairing code
kiosk-code-lead = Open /kiosk/pair on the tablet and type this code. It works once, for 10 minutes.
kiosk-new-title = Pair a new tablet
kiosk-name = Name
kiosk-make-code = Make a pairing code
kiosk-last-seen = Last seen
kiosk-revoke = Revoke
kiosk-revoked = Revoked
kiosk-nav = Kiosks
owner-locations = Locations
owner-categories = Topics
owner-profile = Profile
owner-save = Save
owner-active = Active
owner-inactive = Inactive
owner-activate = Activate
owner-deactivate = Deactivate
owner-col-status = Status
owner-col-actions = Actions
owner-location-new = Add a location
owner-location-add = Add location
owner-location-edit = Edit location
owner-location-form-link = Public form
owner-location-name = Name
owner-location-slug = Short name
owner-location-slug-hint = 2 to 60 lowercase letters, digits and dashes; the form is at /f/ followed by this name.
owner-location-address = Address
owner-location-time-zone = Time zone
owner-location-time-zone-hint = A name such as Europe/Amsterdam.
owner-location-language = Language customers see first
owner-hours = Opening hours
owner-hours-hint = One range per day, e.g. 09:00-17:30. Leave a day empty when closed; leave every day empty when always open.
owner-day-mon = Monday
owner-day-tue = Tuesday
owner-day-wed = Wednesday
owner-day-thu = Thursday
owner-day-fri = Friday
owner-day-sat = Saturday
owner-day-sun = Sunday
owner-error-time-zone = Unknown time zone: use a name such as Europe/Amsterdam.
owner-error-hours = Use HH:MM-HH:MM with opening before closing, e.g. 09:00-17:30.
owner-error-address = The address is too long: at most { $max } characters.
owner-error-language = Choose one of the languages Tellus speaks.
owner-categories-lead = The topics customers can pick on the form, in this order. Inactive ones are not offered.
owner-category-new = Add a category
owner-category-add = Add category
owner-category-name = Name
owner-category-position = Order
owner-category-active = Offered to customers
owner-error-category-name = Give a name of 1 to { $max } characters.
owner-error-position = Use a whole number from 0 to { $max }.
owner-profile-lead = The business name and logo customers see.
owner-profile-name = Business name
owner-profile-accent = Accent colour
owner-profile-accent-hint = Written as #rrggbb, e.g. #1f5f8b. The main buttons on customer and staff pages take this colour; the text on it turns dark or light to stay readable.
owner-profile-logo = Logo
owner-profile-logo-hint = A PNG, JPEG or WebP image of at most 512 KiB.
owner-profile-logo-current = Current logo
owner-profile-logo-none = No logo yet.
owner-profile-logo-remove = Remove the logo
owner-error-profile-name = The name is too long: at most { $max } characters.
owner-error-accent = Use a colour written as #rrggbb, e.g. #1f5f8b.
owner-error-logo-size = The logo is too large: at most { $max }.
owner-error-logo-type = The logo must be a PNG, JPEG or WebP image.

## QR codes and posters
poster-nav = QR posters
poster-index-title = QR codes and posters
poster-index-intro = Download a location's QR code, or print a poster for the counter, the door or a table. The code opens the feedback form.
poster-spot = Spot (optional)
poster-spot-hint = For example table-4 or counter: letters, digits, - and _, at most 64. Feedback from this code then shows the spot.
poster-spot-invalid = Use only letters, digits, - and _ (at most 64) for a spot.
poster-spot-apply = Use this spot
poster-spot-current = The codes and posters below are for the spot { $spot }.
poster-spot-clear = Without spot
poster-no-locations = There are no locations yet.
poster-col-location = Location
poster-col-code = QR code
poster-col-poster = Poster
poster-inactive = inactive
poster-a4 = A4 poster
poster-a5 = A5 poster
poster-title = Poster for { $location }
poster-back = All posters
poster-print-hint = Print with Ctrl+P (⌘P on a Mac), at actual size, without margins.
poster-unhappy = Not happy? Tell us.
poster-happy = Happy? Tell others!
poster-qr-alt = QR code to { $url }
staff-filter-all = All locations
staff-filter-spot = Spot
staff-filter-apply = Filter
kiosk-closed-title = We are closed
kiosk-day-mon = Monday
kiosk-day-tue = Tuesday
kiosk-day-wed = Wednesday
kiosk-day-thu = Thursday
kiosk-day-fri = Friday
kiosk-day-sat = Saturday
kiosk-day-sun = Sunday
kiosk-day-closed = closed
error-form-expired = This page was open for a long time. Your text is still here: please send it again.
error-reply-too-many = You have sent many replies in a short time. Your text is still here: please send it again later.
