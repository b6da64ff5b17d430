# Suivi : horloge des délais (SLA), tâches en arrière-plan, question de satisfaction, paramètres de traitement.

## Horloge des délais
sla-left = encore { $time }
sla-overdue = en retard de { $time }
sla-duration-min = { $m } min
sla-duration-h-min = { $h } h { $m } min
sla-duration-d-h = { $d } j { $h } h
sla-targets = Délais de réponse
sla-targets-hint = Comptés dans les heures d’ouverture de ce point de vente, en heures:minutes (2:00 fait deux heures). L’horloge s’arrête pendant que vous attendez le client.
sla-first-response = Première réponse en
sla-resolution = Résolu en
sla-error-target = Indiquez une durée en heures:minutes, comme 2:00, entre 0:01 et { $max }.
sla-error-order = Le délai de résolution ne peut pas être plus court que le délai de première réponse.

## E-mails de suivi
followup-escalation-first-response = pas de première réponse dans les délais
followup-escalation-resolution = pas résolu dans les délais
followup-escalation-subject = Délai dépassé pour { $reference } : { $what }
followup-escalation-body = Le ticket { $reference } de { $location } a dépassé son délai : { $what } ({ $late }).
followup-reminder-subject = Nous attendons votre réponse ({ $reference })
followup-reminder-body = Nous vous avons posé une question au sujet de votre avis à { $shop } ({ $reference }) et aimerions continuer à vous aider. Quand cela vous convient, vous pouvez répondre sur votre page privée ou simplement répondre à cet e-mail.
followup-reminder-link = Votre page privée :
followup-survey-subject = Avons-nous résolu le problème ? ({ $reference })
followup-survey-body = Nous avons terminé le traitement de votre avis à { $shop } ({ $reference }). Avons-nous résolu le problème ? Un clic sur un visage suffit :
followup-survey-once = Nous ne posons cette question qu’une fois. Vous pourrez modifier votre réponse plus tard via les mêmes liens.
followup-unhappy-subject = Réponse mécontente pour { $reference }
followup-unhappy-body = Le client de { $reference } a répondu « { $face } » à « Avons-nous résolu le problème ? ». Le ticket est rouvert.
followup-digest-subject = Aujourd’hui : { $open } à traiter, { $overdue } en retard
followup-digest-counts = Ouverts : { $open }. En retard : { $overdue }. Non attribués : { $unassigned }. Qui vous sont attribués : { $mine }.
followup-digest-top = Les plus urgents d’abord :
followup-digest-unassigned = non attribué
followup-digest-footer = Vous recevez ce récapitulatif quotidien parce que vous avez un compte du personnel dans Tellus.
followup-digest-inbox = Toute la boîte de réception :

## Page de satisfaction
csat-title = Avons-nous résolu le problème ?
csat-lead = Votre avis à { $shop } ({ $reference }). Choisissez un visage et confirmez votre réponse.
csat-faces-legend = Que pensez-vous de la façon dont nous l’avons traité ?
csat-submit = Envoyer ma réponse
csat-error-face = Veuillez choisir un visage.
csat-error-expired = Cette page est restée ouverte longtemps. Veuillez confirmer à nouveau votre réponse.
csat-thanks-title = Merci pour votre réponse
csat-thanks-happy = Nous sommes heureux d’avoir pu vous aider.
csat-thanks-unhappy = Nous sommes désolés de ne pas avoir bien fait les choses. Votre réclamation est rouverte et quelqu’un reviendra vers vous.
csat-ticket-link = Votre page privée

## Paramètres de traitement
workflow-title = Traitement
workflow-saved = Paramètres enregistrés.
workflow-auto-close-days = Clôturer les tickets résolus après (jours)
workflow-auto-close-days-hint = Un ticket résolu sans réponse du client se clôture de lui-même. 0 = jamais.
workflow-reminder-days = Relancer un client dont on attend la réponse après (jours)
workflow-reminder-days-hint = Un seul rappel discret, uniquement aux clients qui ont demandé à être contactés par e-mail. 0 = jamais.
workflow-csat-delay-hours = Demander « Avons-nous résolu le problème ? » après (heures)
workflow-csat-delay-hours-hint = Heures après la résolution d’un ticket ; un seul e-mail, uniquement aux clients qui ont demandé à être contactés par e-mail.
workflow-digest-hour = Récapitulatif quotidien à (heure, 0–23)
workflow-digest-hour-hint = Chaque membre du personnel et chaque propriétaire reçoit une fois par jour ce qui est ouvert, en retard et non attribué, dans le fuseau horaire ci-dessous.
workflow-error-range = Indiquez un nombre entier de { $min } à { $max }.
