# Les heures telles qu’on les lit (à l’horloge de l’entreprise ou du point de vente)
time-moment = { $day } { $month ->
    [m1] janv.
    [m2] févr.
    [m3] mars
    [m4] avr.
    [m5] mai
    [m6] juin
    [m7] juil.
    [m8] août
    [m9] sept.
    [m10] oct.
    [m11] nov.
   *[m12] déc.
    } { $year } à { $time }
