# The staff inbox: filters, tabs, sort, search.
inbox-status-active = Active
inbox-status-all = All
inbox-search = Search
inbox-search-hint = Reference, words, name or email
inbox-search-nothing = Nothing found for “{ $q }”.
inbox-any = Any
inbox-col-assignee = Assignee
inbox-col-due = Time left
inbox-assignee-anyone = Anyone
inbox-assignee-me = Me
inbox-assignee-nobody = Nobody
inbox-sort = Sort
inbox-sort-due = Due first
inbox-sort-newest = Newest first
inbox-overdue-only = Overdue only
inbox-clear = Clear filters
inbox-priority-high = High
