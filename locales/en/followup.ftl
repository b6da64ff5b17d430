# Follow-up: SLA clock, background jobs, satisfaction survey, workflow settings.

## SLA clock
sla-left = { $time } left
sla-overdue = overdue by { $time }
sla-duration-min = { $m } min
sla-duration-h-min = { $h } h { $m } min
sla-duration-d-h = { $d } d { $h } h
sla-targets = Response targets
sla-targets-hint = Counted in this location's opening hours, as hours:minutes (2:00 is two hours). The clock pauses while you wait on the customer.
sla-first-response = First answer within
sla-resolution = Resolved within
sla-error-target = Enter a time as hours:minutes, such as 2:00, between 0:01 and { $max }.
sla-error-order = The resolution target cannot be shorter than the first answer target.

## Follow-up mails
followup-escalation-first-response = no first answer in time
followup-escalation-resolution = not resolved in time
followup-escalation-subject = Target missed on { $reference }: { $what }
followup-escalation-body = Ticket { $reference } at { $location } missed its target: { $what } ({ $late }).
followup-reminder-subject = We are waiting for your answer ({ $reference })
followup-reminder-body = We asked you something about your feedback to { $shop } ({ $reference }) and would like to help you further. Whenever it suits you, you can answer on your private page or simply reply to this email.
followup-reminder-link = Your private page:
followup-survey-subject = Did we solve it? ({ $reference })
followup-survey-body = We have finished handling your feedback to { $shop } ({ $reference }). Did we solve it? One click on a face is enough:
followup-survey-once = We ask this only once. You can change your answer later through the same links.
followup-unhappy-subject = Unhappy answer on { $reference }
followup-unhappy-body = The customer of { $reference } answered "{ $face }" to "Did we solve it?". The ticket is open again.
followup-digest-subject = Today: { $open } open, { $overdue } overdue
followup-digest-counts = Open: { $open }. Overdue: { $overdue }. Unassigned: { $unassigned }. Assigned to you: { $mine }.
followup-digest-top = Most urgent first:
followup-digest-unassigned = unassigned
followup-digest-footer = You receive this daily overview because you have a staff account in Tellus.
followup-digest-inbox = The whole inbox:

## Satisfaction page
csat-title = Did we solve it?
csat-lead = Your feedback to { $shop } ({ $reference }). Choose a face and confirm your answer.
csat-faces-legend = How do you feel about how we handled it?
csat-submit = Send my answer
csat-error-face = Please choose a face.
csat-error-expired = This page was open for a long time. Please confirm your answer again.
csat-thanks-title = Thank you for your answer
csat-thanks-happy = We are glad we could help.
csat-thanks-unhappy = We are sorry we did not get it right. Your complaint is open again and someone will get back to you.
csat-ticket-link = Your private page

## Workflow settings
workflow-title = Workflow
workflow-saved = Settings saved.
workflow-auto-close-days = Close resolved tickets after (days)
workflow-auto-close-days-hint = A resolved ticket without a reply from the customer closes by itself. 0 = never.
workflow-reminder-days = Remind a customer we are waiting on after (days)
workflow-reminder-days-hint = One gentle reminder, only to customers who asked to be emailed. 0 = never.
workflow-csat-delay-hours = Ask "Did we solve it?" after (hours)
workflow-csat-delay-hours-hint = Hours after a ticket is resolved; one email, only to customers who asked to be emailed.
workflow-digest-hour = Daily digest at (hour, 0–23)
workflow-digest-hour-hint = Each staff member and owner gets what is open, overdue and unassigned, once a day, in the time zone below.
workflow-error-range = Enter a whole number from { $min } to { $max }.
