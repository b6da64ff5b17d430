# Tellus — English messages. Every key here must also be in nl.ftl.

app-name = Tellus
lang-switch = Nederlands
lang-switch-label = Taal: Nederlands

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
staff-reply-label = Reply to the customer
staff-reply-submit = Send reply
staff-reply-empty = Please write a reply.
staff-status-label = Status
staff-status-submit = Change status
staff-mail-pending = Sending
staff-mail-sent = Sent
staff-mail-failed = Could not be delivered
staff-mail-failed-detail = The email to { $recipient } could not be delivered: { $error }
staff-quarantine-lead = Submissions held back as possible spam (too fast, without a valid form token, over the rate limit or with the hidden field filled in). Release the genuine ones.
staff-quarantine-empty = Nothing in quarantine.
staff-quarantine-release = Release
staff-quarantine-reason = Reason
staff-review-links = Review links
staff-review-links-lead = Shown to every customer on the thank-you page, whatever face they chose.
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
setup-done = Tellus is ready. Log in with your email address and password.
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
