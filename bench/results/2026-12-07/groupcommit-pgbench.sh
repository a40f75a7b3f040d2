#!/bin/bash
# What group commit could save in PostgreSQL: one row per transaction against eight (both one round trip), on a
# data folder a run kept (--keep-data). CPU: the whole machine's busy ticks minus pgbench's own. Usage: groupcommit-pgbench.sh <data folder>
D=${1:?the data folder a run kept}; BIN=$(pg_config --bindir); P=55432
runuser -u postgres -- $BIN/pg_ctl -D $D/pg -l /tmp/gcpg-pg.log -o "-p $P -k '' -c listen_addresses=127.0.0.1" start -w >/dev/null
export PGPASSWORD=$(cat $D/pg-password)
C="-h 127.0.0.1 -p $P -U brm brm"
psql $C -qc "drop table if exists bench_insert; create table bench_insert (id bigserial primary key, doc jsonb not null)"
ROW="insert into bench_insert (doc) values ('{\"relationshipId\": \"0190f3c2-7f4e-7a51-9d2c-4c1a3b2e5f60\", \"name\": \"Alice Smith\", \"title\": \"Head of Accounts Payable\", \"level\": \"Executive\", \"email\": \"alice@example.com\", \"influence\": \"High\", \"interest\": \"Medium\", \"addedBy\": \"brm.01\", \"addedAt\": \"2025-01-01T09:00:00Z\"}');"
R1=$(echo "$ROW" | sed "s/;$//"); echo "begin \\; $R1 \\; commit;" > /tmp/one.sql
{ printf "begin \\; "; for i in 1 2 3 4 5 6 7 8; do printf "%s \\; " "$R1"; done; echo "commit;"; } > /tmp/eight.sql
pm=$(head -1 $D/pg/postmaster.pid)
cpu() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
for round in 1 2; do
for s in one eight; do
  while [ $(awk '{print ($1<1.0)}' /proc/loadavg) -ne 1 ]; do sleep 5; done
  b=$(cpu); out=$(/usr/bin/time -f "CLIENT %U %S" $BIN/pgbench $C -n -f /tmp/$s.sql -c 16 -j 2 -T 20 2>&1); a=$(cpu); cl=$(echo "$out" | awk '/^CLIENT/{print ($2+$3)*100}'); a=$(python3 -c "print($a-$cl)")
  tps=$(echo "$out" | grep -oP 'tps = \K[0-9.]+' | head -1); n=$(echo "$out" | grep -oP 'processed: \K[0-9]+')
  rows=$([ $s = one ] && echo 1 || echo 8)
  echo "$s round $round: tps $tps, txns $n, rows/s $(python3 -c "print(round($tps*$rows))"), PG CPU per row $(python3 -c "print(round(($a-$b)*10/($n*$rows)*1000,1))") us, per txn $(python3 -c "print(round(($a-$b)*10/$n*1000,1))") us"
done; done
runuser -u postgres -- $BIN/pg_ctl -D $D/pg stop -m fast >/dev/null
