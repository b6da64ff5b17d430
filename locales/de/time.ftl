# Zeiten, wie Menschen sie lesen (nach der Uhr des Unternehmens oder des Standorts)
time-moment = { $day }. { $month ->
    [m1] Jan.
    [m2] Feb.
    [m3] März
    [m4] Apr.
    [m5] Mai
    [m6] Juni
    [m7] Juli
    [m8] Aug.
    [m9] Sept.
    [m10] Okt.
    [m11] Nov.
   *[m12] Dez.
    } { $year }, { $time }
