# The httpd benchmark's chart: server CPU per request relative to static
# files (left) and to the identity-copy filter (right), per page size,
# median with min–max bars.  httpd_bench.py runs it as
#   gnuplot -e "datafile='out/ratios.dat'; output='out/ratios.png'; names='static identity ...'" plot.gp
# ratios.dat: block 0 = x static, block 1 = x identity; a row per page:
# its label, then median, min, max for each configuration in `names`.
set terminal pngcairo size 1400,560 font "DejaVu Sans,10"
set output output
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.25:*]
set grid ytics
set key top left
set ylabel "server CPU per request, ratio (log scale)"
n = words(names)
set multiplot layout 1,2 title "mod\\_briefing vs static, identity copy and mod\\_substitute (median, min–max over rounds)"
set title "÷ static files"
plot for [i=1:n] datafile index 0 using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
    title word(names, i)
set title "÷ identity-copy filter"
plot for [i=1:n] datafile index 1 using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
    title word(names, i)
unset multiplot
