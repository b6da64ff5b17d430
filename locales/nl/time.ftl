# Tijden zoals mensen ze lezen (op de klok van het bedrijf of de vestiging)
time-moment = { $day } { $month ->
    [m1] jan.
    [m2] feb.
    [m3] mrt.
    [m4] apr.
    [m5] mei
    [m6] jun.
    [m7] jul.
    [m8] aug.
    [m9] sep.
    [m10] okt.
    [m11] nov.
   *[m12] dec.
    } { $year } { $time }
