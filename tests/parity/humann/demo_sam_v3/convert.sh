#!/usr/bin/env bash
# HUMAnN's demo.sam (2016) names references in the old ChocoPhlAn layout
# (gi|N|ref|ACC|:START-END|TAXID|g__G.s__S|UniRef90_X|UniRef50_Y|LEN), which HUMAnN 3.9 does not
# parse (every gene becomes unclassified with no length, so every read is UNMAPPED: see
# ../demo_sam). This rewrites each reference into the current layout
# (giN_START-END|k__Bacteria.g__G.s__S|UniRef90_X|UniRef50_Y|LEN), keeping everything else.
awk 'BEGIN{FS=OFS="\t"} /^@/{print;next} {n=split($3,a,"|"); if(n>=10){$3=a[1] a[2] "_" substr(a[5],2) "|k__Bacteria." a[7] "|" a[8] "|" a[9] "|" a[10]} print}' "$1"
