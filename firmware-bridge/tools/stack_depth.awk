# Worst-case stack depth per public function from gcc's -fcallgraph-info=su files (VCG): the
# largest sum of frame sizes along any call chain (the library has no recursion and no function
# pointers). Functions without a size (libc built-ins such as memmove) count 0.
# Usage: awk -f tools/stack_depth.awk build/*.ci
/^node:/ {
    t = $0; sub(/.*title: "/, "", t); sub(/".*/, "", t)
    b = 0
    if (match($0, /\\n[0-9]+ bytes/)) { s = substr($0, RSTART + 2, RLENGTH - 2); sub(/ bytes/, "", s); b = s + 0 }
    if (!(t in size) || b > size[t]) size[t] = b
    names[t] = 1
}
/^edge:/ {
    s = $0; sub(/.*sourcename: "/, "", s); sub(/".*/, "", s)
    d = $0; sub(/.*targetname: "/, "", d); sub(/".*/, "", d)
    kids[s] = kids[s] SUBSEP d
}
function depth(f,    n, parts, i, best, x) {
    if (f in memo) return memo[f]
    best = 0
    n = split(kids[f], parts, SUBSEP)
    for (i = 1; i <= n; i++) if (parts[i] != "") { x = depth(parts[i]); if (x > best) { best = x; via[f] = parts[i] } }
    memo[f] = size[f] + best
    return memo[f]
}
END {
    for (f in names) if (f ~ /^hmsk_/) printf "%6d  %s\n", depth(f), f | "sort -rn"
}
