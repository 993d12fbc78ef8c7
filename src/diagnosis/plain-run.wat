;; The hot loop of normaliseCore (normalise.ts) in WebAssembly: it copies a run of plain characters lower-cased and
;; steps the anchor DFA over them, about 1.5 times as fast as the same loop in JavaScript (no string access checks,
;; no typed-array bounds checks). normaliseCore handles everything else (whitespace runs, escapes, entities...).
;;
;; Source of plain-run-bytes.ts: after editing, run `npm run assemble-wasm`; a test fails when the two differ.
;;
;; Memory (byte offsets, laid out by plain-run.ts through init):
;;   [0, 131072)  plain class of every UTF-16 unit (u16): the DFA column, 0 when the unit is not plain
;;   $delta       the DFA's premultiplied transitions (i32), negated minus one when the next state has outputs
;;   $in          the input text (u16)
;;   $low         the lower-cased normalised text (u16)
;;   $hits        (state, position) pairs (i32) for every output state entered by the last run
;;   $out         two i32 results of the last run: the DFA state after it, the number of hits
(module
  (memory (export "memory") 1)
  (global $delta (mut i32) (i32.const 0))
  (global $in (mut i32) (i32.const 0))
  (global $low (mut i32) (i32.const 0))
  (global $hits (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 0))
  (global $space (mut i32) (i32.const 0))

  (func (export "init") (param $delta i32) (param $in i32) (param $low i32) (param $hits i32) (param $out i32) (param $space i32)
    (global.set $delta (local.get $delta))
    (global.set $in (local.get $in))
    (global.set $low (local.get $low))
    (global.set $hits (local.get $hits))
    (global.set $out (local.get $out))
    (global.set $space (local.get $space)))

  ;; Copies the run of plain characters that starts at in[i] (the caller checked that in[i] is plain) to low[o...],
  ;; from DFA state $st. A single space or line break between two plain characters stays in the run (not a line
  ;; break right after '_': normalisation joins a wrapped identifier there). Returns the index after the run.
  (func (export "run") (param $i i32) (param $n i32) (param $o i32) (param $st i32) (result i32)
    (local $c i32) (local $k i32) (local $x i32) (local $v i32) (local $nh i32) (local $next i32)
    (local.set $c (i32.load16_u (i32.add (global.get $in) (i32.shl (local.get $i) (i32.const 1)))))
    (local.set $k (i32.load16_u (i32.shl (local.get $c) (i32.const 1))))
    (local.set $x (select (i32.add (local.get $c) (i32.const 32)) (local.get $c) (i32.lt_u (i32.sub (local.get $c) (i32.const 0x41)) (i32.const 26))))
    (block $done
      (loop $copy
        (i32.store16 (i32.add (global.get $low) (i32.shl (local.get $o) (i32.const 1))) (local.get $x))
        (local.set $v (i32.load (i32.add (global.get $delta) (i32.shl (i32.add (local.get $st) (local.get $k)) (i32.const 2)))))
        (if (i32.ge_s (local.get $v) (i32.const 0))
          (then (local.set $st (local.get $v)))
          (else
            (local.set $st (i32.sub (i32.const -1) (local.get $v)))
            (i32.store (i32.add (global.get $hits) (i32.shl (local.get $nh) (i32.const 3))) (local.get $st))
            (i32.store offset=4 (i32.add (global.get $hits) (i32.shl (local.get $nh) (i32.const 3))) (local.get $o))
            (local.set $nh (i32.add (local.get $nh) (i32.const 1)))))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load16_u (i32.add (global.get $in) (i32.shl (local.get $i) (i32.const 1)))))
        (local.set $k (i32.load16_u (i32.shl (local.get $c) (i32.const 1))))
        (if (local.get $k)
          (then
            (local.set $x (select (i32.add (local.get $c) (i32.const 32)) (local.get $c) (i32.lt_u (i32.sub (local.get $c) (i32.const 0x41)) (i32.const 26))))
            (br $copy)))
        ;; not plain: only a single space or line break before a plain character continues the run
        (br_if $done
          (i32.eqz
            (i32.or
              (i32.eq (local.get $c) (i32.const 0x20))
              (i32.and (i32.eq (local.get $c) (i32.const 0x0a)) (i32.ne (local.get $x) (i32.const 0x5f))))))
        (br_if $done (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
        (local.set $next (i32.load16_u (i32.add (global.get $in) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 1)))))
        (br_if $done (i32.eqz (i32.load16_u (i32.shl (local.get $next) (i32.const 1)))))
        (local.set $x (local.get $c))
        (local.set $k (global.get $space))
        (br $copy)))
    (i32.store (global.get $out) (local.get $st))
    (i32.store offset=4 (global.get $out) (local.get $nh))
    (local.get $i)))
