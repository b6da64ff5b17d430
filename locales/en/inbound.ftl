## Replies by email
inbound-attachments-title = Attachments
inbound-attachments-only = (sent attachments: { $files })
inbound-size-bytes = { $n } bytes
inbound-size-kb = { $n } KB
inbound-size-mb = { $n } MB
