#!/usr/bin/env bash
# runs every catalogue scenario --quick, times it, and prints each level's figures
out=/tmp/n2-cat; rm -rf $out; mkdir -p $out
for s in $(ls scenarios); do
  l0=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  node bin/lab.js run $s --quick --out $out > $out/$s.out 2> $out/$s.err
  rc=$?
  t1=$(date +%s.%N)
  l1=$(cut -d' ' -f1 /proc/loadavg)
  printf "%-20s rc=%s wall=%5.1f s  load %s→%s\n" $s $rc $(echo "$t1 - $t0" | bc) $l0 $l1
  node .scratch/inspect.mjs $out/$s 2>/dev/null | sed 's/^/    /'
done
