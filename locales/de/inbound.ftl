## Antworten per E-Mail
inbound-attachments-title = Anhänge
inbound-attachments-only = (Anhänge gesendet: { $files })
inbound-size-bytes = { $n } Byte
inbound-size-kb = { $n } KB
inbound-size-mb = { $n } MB
