## Réponses par e-mail
inbound-attachments-title = Pièces jointes
inbound-attachments-only = (a envoyé des pièces jointes : { $files })
inbound-size-bytes = { $n } octets
inbound-size-kb = { $n } Ko
inbound-size-mb = { $n } Mo
