;; Example plugin in hand-written WebAssembly text: proof that ABI v1 needs no SDK.
;;
;; Every session costs 1 credit (credit_cost), and booking_allowed defers to the
;; hub's declarative policy. It never reads its input: a real plugin in another
;; language would parse the JSON envelope the host writes at the address that
;; hearth_alloc returned. It logs one line through the only import the host offers.
(module
  ;; hearth.log(level, ptr, len): level 2 is "info".
  (import "hearth" "log" (func $log (param i32 i32 i32)))

  ;; One page (64 KiB) is plenty: inputs go above the static data.
  (memory (export "memory") 1)

  ;; The outputs and the log line, as static data.
  (data (i32.const 16) "{\"decision\":\"cost\",\"credits\":1}")     ;; 31 bytes at 16
  (data (i32.const 64) "{\"decision\":\"defer\"}")                   ;; 20 bytes at 64
  (data (i32.const 96) "flat cost: 1 credit")                       ;; 19 bytes at 96

  ;; A bump allocator from 1024; each call gets a fresh instance, so no free is needed.
  (global $next (mut i32) (i32.const 1024))

  ;; The ABI version marker.
  (func (export "hearth_abi_v1"))

  ;; hearth_alloc(len) -> ptr, growing memory when the input does not fit.
  (func (export "hearth_alloc") (param $len i32) (result i32)
    (local $ptr i32)
    (local $end i32)
    (local.set $ptr (global.get $next))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow
                (i32.add
                  (i32.div_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
                             (i32.const 65536))
                  (i32.const 1)))
              (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $next (local.get $end))
    (local.get $ptr))

  ;; hearth_credit_cost(ptr, len) -> (out_ptr << 32) | out_len
  (func (export "hearth_credit_cost") (param $ptr i32) (param $len i32) (result i64)
    (call $log (i32.const 2) (i32.const 96) (i32.const 19))
    (i64.or
      (i64.shl (i64.const 16) (i64.const 32))
      (i64.const 31)))

  ;; hearth_booking_allowed(ptr, len): defer to the hub's policy.
  (func (export "hearth_booking_allowed") (param $ptr i32) (param $len i32) (result i64)
    (i64.or
      (i64.shl (i64.const 64) (i64.const 32))
      (i64.const 20)))
)
