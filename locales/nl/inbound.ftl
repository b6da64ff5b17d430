## Antwoorden per e-mail
inbound-attachments-title = Bijlagen
inbound-attachments-only = (stuurde bijlagen: { $files })
inbound-size-bytes = { $n } bytes
inbound-size-kb = { $n } kB
inbound-size-mb = { $n } MB
