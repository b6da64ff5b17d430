# De inbox voor medewerkers: filters, tabbladen, sortering, zoeken.
inbox-status-active = Actief
inbox-status-all = Alles
inbox-search = Zoeken
inbox-search-hint = Referentie, woorden, naam of e-mail
inbox-search-nothing = Niets gevonden voor ‘{ $q }’.
inbox-any = Alle
inbox-col-assignee = Behandelaar
inbox-col-due = Tijd over
inbox-assignee-anyone = Iedereen
inbox-assignee-me = Ik
inbox-assignee-nobody = Niemand
inbox-sort = Sorteren
inbox-sort-due = Eerst te laat
inbox-sort-newest = Nieuwste eerst
inbox-overdue-only = Alleen te laat
inbox-clear = Filters wissen
inbox-priority-high = Hoog
