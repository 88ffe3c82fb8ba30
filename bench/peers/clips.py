"""The advise rules written for CLIPS (clipspy): the same decisions as rules/advise/*.yaml.

The knowledge base becomes `deffacts` (methods with every parameter, pairings, exercises, lifts,
rounding steps, settings), so `(reset)` brings it back for each athlete. The environment is
built once; per athlete: reset, assert the athlete's facts, run, read the results.

Rules are stratified with salience, highest first:

  100  derived facts: the exercises in play, stalled lifts
   90  timing-ok (stall, start of a cycle, a block under way)
   80  pairing-target (the lowering exercise trains a muscle of the lift)
   70  the rules of rules/advise/ as `decision` and `prescribe` facts, with their priority
   40  resolution per candidate (pairing or exercise): lowest priority, then most cautious
   35  method contenders: the method-wide decisions and the live recommended candidates
   30  resolution per method (default not-now); prescriptions (lowest priority wins)
   20  plan offers with their rank; 15 the chosen plans; 10 plans with weekly loads

Loads are computed in CLIPS with exact integer arithmetic: every decimal (1RM, percentages,
rounding steps) is asserted as a fraction num/den, and half-up rounding is
`(div (+ (* 2 n) d) (* 2 d))`, which is Decimal's ROUND_HALF_UP on the exact value. The only
work left to Python is turning facts into the projection and sorting plans by the (method,
position) numbers CLIPS computed. Warnings (`warn` conclusions) are not part of the
projection and are not written here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import clips  # type: ignore[import-untyped]

from bench.peers.projection import Projection, Status, plan, projection, status, week
from negatives.engine.model.athlete import Athlete
from negatives.engine.model.knowledge import Knowledge

TEMPLATES = """
(deftemplate athlete (slot experience) (slot units) (slot recovery) (slot cycle-week)
  (slot partner) (slot weeks-done) (slot full-gym))
(deftemplate goal (slot name) (slot index) (slot stalled (default unknown))
  (slot progress (default none)))
(deftemplate have (slot equipment))
(deftemplate one-rep-max (slot exercise) (slot value) (slot num) (slot den))

(deftemplate method (slot id) (slot order) (slot needs-partner))
(deftemplate parameter (slot method) (slot name) (slot value) (slot num) (slot den))
(deftemplate setting (slot name) (slot value))
(deftemplate rounding (slot units) (slot equipment) (slot num) (slot den))
(deftemplate lift (slot name) (slot itself (default nil)) (multislot muscles))
(deftemplate exercise (slot name) (slot family (default nil)) (slot spottable) (slot compound)
  (slot order) (slot partner-liftable) (slot laterality) (multislot muscles)
  (multislot equipment))
(deftemplate pairing (slot id) (slot method) (slot concentric) (slot eccentric) (slot order))

(deftemplate in-play (slot exercise))
(deftemplate stalled (slot lift))
(deftemplate timing-ok (slot why))
(deftemplate target (slot pairing) (slot lift))
(deftemplate ael-open)
(deftemplate ael-when (slot when))
(deftemplate unavailable (slot pairing))
(deftemplate planned (slot lift))
(deftemplate decision (slot method) (slot key (default nil)) (slot lift (default nil))
  (slot status) (slot rank) (slot priority) (slot rule) (slot seq (default 0)))
(deftemplate prescribe (slot method) (slot parameter) (slot value) (slot num) (slot den)
  (slot priority))
(deftemplate candidate (slot method) (slot key) (slot status) (slot rule))
(deftemplate contender (slot method) (slot key) (slot lift) (slot status) (slot rank)
  (slot priority) (slot rule))
(deftemplate verdict (slot method) (slot status) (slot rule))
(deftemplate rx (slot method) (slot parameter) (slot value) (slot num) (slot den))
(deftemplate offer (slot method) (slot key) (slot lift) (multislot rank))
(deftemplate first-for-lift (slot method) (slot key) (slot lift) (multislot rank))
(deftemplate slot-plan (slot method) (slot key) (slot lift) (slot position))
(deftemplate plan (slot morder) (slot position) (slot method) (slot lift) (slot pairing)
  (slot exercise) (slot sets) (slot reps) (slot reps-min) (slot basis) (slot one-rm)
  (slot when (default now)) (slot days))
(deftemplate plan-tempo (slot method) (slot position) (slot name) (slot seconds))
(deftemplate plan-week (slot method) (slot position) (slot week) (slot percent) (slot load)
  (slot exact))
"""

FUNCTIONS = """
(deffunction status-rank (?s)
  (switch ?s (case blocked then 0) (case not-now then 1) (case allowed then 2)
             (case recommended then 3)))

(deffunction decide (?method ?key ?lift ?status ?priority ?rule)
  (assert (decision (method ?method) (key ?key) (lift ?lift) (status ?status)
                    (rank (status-rank ?status)) (priority ?priority) (rule ?rule))))

(deffunction why (?status ?rule)
  (if (eq ?status recommended) then nil else ?rule))

(deffunction half-up (?n ?d)
  (div (+ (* 2 ?n) ?d) (* 2 ?d)))

(deffunction rank-before (?a ?b)
  (loop-for-count (?i 1 (length$ ?a)) do
    (if (< (nth$ ?i ?a) (nth$ ?i ?b)) then (return TRUE))
    (if (> (nth$ ?i ?a) (nth$ ?i ?b)) then (return FALSE)))
  FALSE)

(deffunction ends-with-machine (?s)
  (bind ?n (str-length ?s))
  (and (>= ?n 7) (eq (sub-string (- ?n 6) ?n ?s) "machine")))

(deffunction rounding-step (?units ?exercise)
  "num and den of the rounding step: the first equipment with a step, * machine -> machine"
  (bind ?steps (find-all-facts ((?r rounding)) (eq ?r:units ?units)))
  (bind ?gear (fact-slot-value (nth$ 1 (find-fact ((?e exercise)) (eq ?e:name ?exercise)))
                               equipment))
  (foreach ?g ?gear
    (foreach ?r ?steps
      (if (eq (fact-slot-value ?r equipment) ?g) then
        (return (create$ (fact-slot-value ?r num) (fact-slot-value ?r den)))))
    (if (ends-with-machine ?g) then
      (foreach ?r ?steps
        (if (eq (fact-slot-value ?r equipment) "machine") then
          (return (create$ (fact-slot-value ?r num) (fact-slot-value ?r den)))))))
  (foreach ?r ?steps
    (if (eq (fact-slot-value ?r equipment) "any") then
      (return (create$ (fact-slot-value ?r num) (fact-slot-value ?r den)))))
  (create$ 0 1))

(deffunction rx-value (?method ?name)
  (bind ?f (find-fact ((?r rx)) (and (eq ?r:method ?method) (eq ?r:parameter ?name))))
  (if (= (length$ ?f) 0) then nil else (fact-slot-value (nth$ 1 ?f) value)))

(deffunction percent-of (?load ?orm)
  (/ (round (* 100 (* (/ ?load ?orm) 100))) 100))

(deffunction week-loads (?on ?od ?sn ?sd ?cap ?targets)
  "Per target (pn pd ceiling band tolerance): an equipment step within the bounds, at most
   ?cap, never below the week before; the smallest step up within the tolerance, else the step
   nearest the target (ties go up). An empty list when some week has none."
  (bind ?orm (/ ?on ?od))
  (bind ?out (create$))
  (bind ?previous nil)
  (loop-for-count (?t 0 (- (div (length$ ?targets) 5) 1)) do
    (bind ?b (* 5 ?t))
    (bind ?pn (nth$ (+ ?b 1) ?targets))
    (bind ?pd (nth$ (+ ?b 2) ?targets))
    (bind ?ceiling (nth$ (+ ?b 3) ?targets))
    (bind ?band (nth$ (+ ?b 4) ?targets))
    (bind ?tolerance (nth$ (+ ?b 5) ?targets))
    (bind ?percent (/ ?pn ?pd))
    (bind ?options (create$))
    (if (<= ?sn 0) then
      (bind ?options (create$ (/ (div (* ?on ?pn) (* ?od ?pd)) 100)))
     else
      (bind ?mid (div (* ?on ?pn ?sd) (* ?od ?pd 100 ?sn)))
      (loop-for-count (?k (max (- ?mid 40) 1) (+ ?mid 40)) do
        (bind ?options (create$ ?options (/ (* ?k ?sn) ?sd)))))
    (bind ?fits (create$))
    (foreach ?w ?options
      (if (and (or (eq ?ceiling nil) (<= (percent-of ?w ?orm) ?ceiling))
               (or (eq ?band nil)
                   (<= (/ (round (* 100 (abs (- (percent-of ?w ?orm) ?percent)))) 100) ?band))
               (or (eq ?cap nil) (<= ?w ?cap))
               (or (eq ?previous nil) (>= ?w ?previous)))
       then (bind ?fits (create$ ?fits ?w))))
    (if (= (length$ ?fits) 0) then (return (create$)))
    (bind ?goal (/ (* ?on ?pn) (* ?od ?pd 100)))
    (bind ?choice nil)
    (if (and (neq ?tolerance nil) (neq ?previous nil)) then
      (foreach ?w ?fits
        (if (and (> ?w ?previous) (<= (abs (- (percent-of ?w ?orm) ?percent)) ?tolerance)
                 (or (eq ?choice nil) (< ?w ?choice)))
         then (bind ?choice ?w))))
    (if (eq ?choice nil) then
      (foreach ?w ?fits
        (if (or (eq ?choice nil) (< (abs (- ?w ?goal)) (abs (- ?choice ?goal)))
                (and (= (abs (- ?w ?goal)) (abs (- ?choice ?goal))) (> ?w ?choice)))
         then (bind ?choice ?w))))
    (bind ?out (create$ ?out ?choice))
    (bind ?previous ?choice))
  ?out)

(deffunction add-weeks (?method ?position ?first ?targets ?basis ?units ?cap)
  "The weeks from cycle week ?first: percent, load (an equipment step) and exact load"
  (bind ?n (div (length$ ?targets) 5))
  (bind ?orm (find-fact ((?o one-rep-max)) (eq ?o:exercise ?basis)))
  (bind ?loads (create$))
  (bind ?known (and (> (length$ ?orm) 0) (> (fact-slot-value (nth$ 1 ?orm) num) 0)))
  (if ?known then
    (bind ?on (fact-slot-value (nth$ 1 ?orm) num))
    (bind ?od (fact-slot-value (nth$ 1 ?orm) den))
    (bind ?step (rounding-step ?units ?basis))
    (bind ?loads (week-loads ?on ?od (nth$ 1 ?step) (nth$ 2 ?step) ?cap ?targets)))
  (loop-for-count (?i 0 (- ?n 1)) do
    (bind ?pn (nth$ (+ (* 5 ?i) 1) ?targets))
    (bind ?pd (nth$ (+ (* 5 ?i) 2) ?targets))
    (bind ?load nil)
    (bind ?exact nil)
    (if ?known then
      (bind ?exact (/ (float (half-up (* ?on ?pn) (* ?od ?pd))) 100))
      (if (> (length$ ?loads) 0) then (bind ?load (float (nth$ (+ ?i 1) ?loads)))))
    (assert (plan-week (method ?method) (position ?position) (week (+ ?first ?i))
                       (percent (/ (float ?pn) ?pd)) (load ?load) (exact ?exact)))))

(deffunction plan-days (?own ?method)
  (bind ?cap (rx-value ?method max_negative_days))
  (if (eq ?own nil) then (bind ?own ?cap))
  (if (eq ?cap nil) then (bind ?cap ?own))
  (if (eq ?own nil) then nil else (integer (min ?own ?cap))))

(deffunction load-athlete (?experience ?units ?recovery ?cycle-week ?partner ?weeks-done
                           ?full-gym ?goals ?haves ?maxes)
  "Assert one athlete. goals: name index stalled progress ...; maxes: exercise value num den ..."
  (assert (athlete (experience ?experience) (units ?units) (recovery ?recovery)
                   (cycle-week ?cycle-week) (partner ?partner) (weeks-done ?weeks-done)
                   (full-gym ?full-gym)))
  (loop-for-count (?i 0 (- (div (length$ ?goals) 4) 1)) do
    (bind ?b (* 4 ?i))
    (assert (goal (name (nth$ (+ ?b 1) ?goals)) (index (nth$ (+ ?b 2) ?goals))
                  (stalled (nth$ (+ ?b 3) ?goals)) (progress (nth$ (+ ?b 4) ?goals)))))
  (foreach ?g ?haves (assert (have (equipment ?g))))
  (loop-for-count (?i 0 (- (div (length$ ?maxes) 4) 1)) do
    (bind ?b (* 4 ?i))
    (assert (one-rep-max (exercise (nth$ (+ ?b 1) ?maxes)) (value (nth$ (+ ?b 2) ?maxes))
                         (num (nth$ (+ ?b 3) ?maxes)) (den (nth$ (+ ?b 4) ?maxes)))))
  TRUE)

(deffunction results ()
  "The conclusions as one flat list of tagged records (see Clips.read for their fields)"
  (bind ?r (create$))
  (do-for-all-facts ((?f verdict)) TRUE
    (bind ?r (create$ ?r verdict ?f:method ?f:status ?f:rule)))
  (do-for-all-facts ((?f candidate)) TRUE
    (bind ?r (create$ ?r candidate ?f:method ?f:key ?f:status ?f:rule)))
  (do-for-all-facts ((?f rx)) TRUE
    (bind ?r (create$ ?r rx ?f:method ?f:parameter ?f:value)))
  (do-for-all-facts ((?f plan)) TRUE
    (bind ?r (create$ ?r plan ?f:morder ?f:position ?f:method ?f:lift ?f:pairing ?f:exercise
                      ?f:sets ?f:reps ?f:reps-min ?f:basis ?f:one-rm ?f:when ?f:days)))
  (do-for-all-facts ((?f plan-week)) TRUE
    (bind ?r (create$ ?r week ?f:method ?f:position ?f:week ?f:percent ?f:load ?f:exact)))
  (do-for-all-facts ((?f plan-tempo)) TRUE
    (bind ?r (create$ ?r tempo ?f:method ?f:position ?f:name ?f:seconds)))
  ?r)

(deffunction rank-of (?key ?lift)
  "Stalled lifts first, the lift itself, a known 1RM, shared muscles, compound, order, lift"
  (bind ?basis nil)
  (bind ?order 0)
  (bind ?p (find-fact ((?f pairing)) (eq ?f:id ?key)))
  (if (> (length$ ?p) 0) then
    (bind ?basis (fact-slot-value (nth$ 1 ?p) eccentric))
    (bind ?order (fact-slot-value (nth$ 1 ?p) order))
   else (bind ?basis ?key))
  (bind ?ex (find-fact ((?e exercise)) (eq ?e:name ?basis)))
  (bind ?shared 0)
  (bind ?noncompound 0)
  (bind ?itself 1)
  (bind ?lf (nth$ 1 (find-fact ((?l lift)) (eq ?l:name ?lift))))
  (if (> (length$ ?ex) 0) then
    (bind ?e (nth$ 1 ?ex))
    (if (= (length$ ?p) 0) then (bind ?order (fact-slot-value ?e order)))
    (bind ?lm (fact-slot-value ?lf muscles))
    (foreach ?m (fact-slot-value ?e muscles)
      (if (member$ ?m ?lm) then (bind ?shared (+ ?shared 1))))
    (if (eq (fact-slot-value ?e compound) FALSE) then (bind ?noncompound 1))
    (if (eq (fact-slot-value ?lf itself) ?basis) then (bind ?itself 0)))
  (bind ?g (find-fact ((?f goal)) (eq ?f:name ?lift)))
  (create$ (if (any-factp ((?s stalled)) (eq ?s:lift ?lift)) then 0 else 1)
           ?itself
           (if (any-factp ((?o one-rep-max)) (eq ?o:exercise ?basis)) then 0 else 1)
           (- 0 ?shared) ?noncompound ?order
           (if (> (length$ ?g) 0) then (fact-slot-value (nth$ 1 ?g) index) else 0)))
"""

RULES = """
; ---- 100: the exercises negatives puts in the facts; stalled lifts ------------------------
(defrule in-play-pairing (declare (salience 100))
  (pairing (concentric ?c) (eccentric ?e))
  =>
  (assert (in-play (exercise ?c)) (in-play (exercise ?e))))

(defrule in-play-one-rep-max (declare (salience 100))
  (one-rep-max (exercise ?x))
  =>
  (assert (in-play (exercise ?x))))

(defrule in-play-variant (declare (salience 100))
  (goal (name ?l))
  (exercise (name ?x) (family ?l))
  =>
  (assert (in-play (exercise ?x))))

(defrule lift-stalled-as-given (declare (salience 100))
  (goal (name ?l) (stalled TRUE))
  =>
  (assert (stalled (lift ?l))))

(defrule lift-stalled-from-log (declare (salience 100))
  (setting (name stall_max_progress_percent) (value ?v))
  (goal (name ?l) (stalled unknown) (progress ?p&:(numberp ?p)&:(<= ?p ?v)))
  =>
  (assert (stalled (lift ?l))))

; ---- 90: timing ----------------------------------------------------------------------------
(defrule ael-when-stalled (declare (salience 90))
  (stalled)
  =>
  (assert (timing-ok (why stalled))))

(defrule ael-at-cycle-start (declare (salience 90))
  (athlete (cycle-week 1) (recovery well-rested))
  =>
  (assert (timing-ok (why cycle-start))))

(defrule ael-continue-block (declare (salience 90))
  (parameter (method accentuated-eccentric) (name cycle_start_weeks) (value ?c))
  (athlete (weeks-done ?d&:(>= ?d 1)) (cycle-week ?w&:(<= ?w ?c)))
  =>
  (assert (timing-ok (why continuing))))

(defrule ael-open (declare (salience 90))
  (parameter (method accentuated-eccentric) (name weeks) (value ?w))
  (athlete (experience ~novice) (recovery ~fatigued) (weeks-done ?done&:(< ?done ?w)))
  =>
  (assert (ael-open)))

(defrule ael-when (declare (salience 89))
  (parameter (method accentuated-eccentric) (name cycle_start_weeks) (value ?c))
  (exists (timing-ok))
  (athlete (weeks-done ?d) (cycle-week ?w))
  =>
  (assert (ael-when (when (if (or (= ?w 1) (and (>= ?d 1) (<= ?w ?c))) then now
                           else next-cycle)))))

; ---- 85: pairings the athlete cannot do ------------------------------------------------------
(defrule ael-pairing-needs-equipment (declare (salience 85))
  (athlete (full-gym FALSE))
  (pairing (id ?p) (method accentuated-eccentric) (concentric ?c) (eccentric ?e))
  (exercise (name ?x&:(or (eq ?x ?c) (eq ?x ?e))) (equipment $? ?g $?))
  (not (have (equipment ?g)))
  =>
  (decide accentuated-eccentric ?p nil blocked 2 ael-pairing-needs-equipment)
  (assert (unavailable (pairing ?p))))

(defrule ael-lifting-side-too-weak (declare (salience 85))
  (parameter (method accentuated-eccentric) (name start_percent_1rm) (value ?start))
  (pairing (id ?p) (method accentuated-eccentric) (concentric ?c) (eccentric ?e))
  (one-rep-max (exercise ?c) (value ?up))
  (one-rep-max (exercise ?e) (value ?down&:(> ?down 0)))
  (test (< (/ (round (* 10000 (/ ?up ?down))) 100) ?start))
  =>
  (decide accentuated-eccentric ?p nil blocked 2 ael-lifting-side-too-weak)
  (assert (unavailable (pairing ?p))))

; ---- 80: pairing targets -------------------------------------------------------------------
(defrule ael-pairing-targets-lift (declare (salience 80))
  (timing-ok)
  (goal (name ?l))
  (lift (name ?l) (muscles $? ?m $?))
  (pairing (id ?p) (method accentuated-eccentric) (eccentric ?e))
  (exercise (name ?e) (muscles $? ?m $?))
  =>
  (assert (target (pairing ?p) (lift ?l))))

; ---- 70: safety -----------------------------------------------------------------------------
(defrule ael-skip-novice (declare (salience 70))
  (athlete (experience novice))
  =>
  (decide accentuated-eccentric nil nil blocked 1 ael-skip-novice))

(defrule ael-never-pair-deadlift (declare (salience 70))
  (pairing (id ?p) (method accentuated-eccentric) (concentric ?c) (eccentric ?e))
  (exercise (name ?x&:(or (eq ?x ?c) (eq ?x ?e))) (family "deadlift"))
  =>
  (decide accentuated-eccentric ?p nil blocked 1 ael-never-pair-deadlift))

(defrule ael-three-weeks-max (declare (salience 70))
  (parameter (method accentuated-eccentric) (name weeks) (value ?w))
  (athlete (weeks-done ?d&:(>= ?d ?w)))
  =>
  (decide accentuated-eccentric nil nil not-now 2 ael-three-weeks-max))

(defrule ael-not-when-fatigued (declare (salience 70))
  (athlete (recovery fatigued))
  =>
  (decide accentuated-eccentric nil nil not-now 5 ael-not-when-fatigued))

(defrule negatives-not-when-fatigued (declare (salience 70))
  (athlete (recovery fatigued))
  (method (id ?m&~accentuated-eccentric))
  =>
  (decide ?m nil nil not-now 5 negatives-not-when-fatigued))

(defrule no-supramaximal-deadlift (declare (salience 70))
  (exercise (name ?x) (family "deadlift"))
  (in-play (exercise ?x))
  =>
  (decide eccentric-only ?x nil blocked 1 no-supramaximal-deadlift)
  (decide forced-negatives ?x nil blocked 1 no-supramaximal-deadlift))

; ---- 70: timing ------------------------------------------------------------------------------
(defrule ael-wait-for-timing (declare (salience 70))
  (athlete)
  (not (timing-ok))
  =>
  (decide accentuated-eccentric nil nil not-now 30 ael-wait-for-timing))

; ---- 70: selection and load --------------------------------------------------------------------
(defrule ael-recommend-for-stalled-lift (declare (salience 70))
  (stalled (lift ?l))
  (target (pairing ?p) (lift ?l))
  (timing-ok)
  (ael-open)
  (ael-when (when ?w))
  (not (unavailable (pairing ?p)))
  =>
  (decide accentuated-eccentric ?p ?l recommended 50 ael-recommend-for-stalled-lift)
  (if (eq ?w now) then (assert (planned (lift ?l)))))

(defrule ael-recommend-at-cycle-start (declare (salience 70))
  (timing-ok (why cycle-start|continuing))
  (target (pairing ?p) (lift ?l))
  (ael-open)
  (ael-when (when ?w))
  (not (unavailable (pairing ?p)))
  =>
  (decide accentuated-eccentric ?p ?l recommended 50 ael-recommend-at-cycle-start)
  (if (eq ?w now) then (assert (planned (lift ?l)))))

(defrule one-negative-method-per-lift (declare (salience 70))
  (planned (lift ?l))
  (stalled (lift ?l))
  (exercise (name ?x) (family ?l))
  (in-play (exercise ?x))
  =>
  (decide eccentric-only ?x ?l not-now 4 one-negative-method-per-lift)
  (decide forced-negatives ?x ?l not-now 4 one-negative-method-per-lift)
  (decide slow-eccentric ?x ?l not-now 4 one-negative-method-per-lift))

(defrule negative-days-limit (declare (salience 70))
  (setting (name sparingly_max_negative_days) (value ?v))
  (athlete (recovery ~fatigued))
  (method (id ?m))
  =>
  (assert (prescribe (method ?m) (parameter max_negative_days) (value ?v) (num ?v) (den 1)
                     (priority 50))))

(defrule ael-dose (declare (salience 70))
  (timing-ok)
  (parameter (method accentuated-eccentric)
             (name ?n&start_percent_1rm|weekly_increase_percent_1rm|sets|reps)
             (value ?v) (num ?num) (den ?den))
  =>
  (assert (prescribe (method accentuated-eccentric) (parameter ?n) (value ?v) (num ?num)
                     (den ?den) (priority 50))))

(defrule slow-eccentric-allowed (declare (salience 70))
  (athlete (recovery ~fatigued))
  (method (id slow-eccentric))
  =>
  (decide slow-eccentric nil nil allowed 60 slow-eccentric-allowed))

(defrule slow-eccentric-dose (declare (salience 70))
  (athlete (recovery ~fatigued))
  (parameter (method slow-eccentric)
             (name ?n&concentric_seconds|eccentric_seconds|bottom_pause_seconds|sets|reps|
                      weeks|days_per_week)
             (value ?v) (num ?num) (den ?den))
  =>
  (assert (prescribe (method slow-eccentric) (parameter ?n) (value ?v) (num ?num) (den ?den)
                     (priority 60))))

(defrule slow-eccentric-plateau-without-partner (declare (salience 70))
  (athlete (partner FALSE))
  (stalled (lift ?l))
  (exercise (name ?x) (family ?l) (spottable TRUE))
  =>
  (decide slow-eccentric ?x ?l recommended 55 slow-eccentric-plateau-without-partner))

(defrule eo-partner-cannot-lift (declare (salience 70))
  (stalled (lift ?l))
  (exercise (name ?x) (family ?l) (partner-liftable FALSE) (laterality "bilateral"))
  =>
  (assert (decision (method eccentric-only) (key ?x) (status blocked) (rank 0) (priority 3)
                    (rule eo-partner-cannot-lift) (seq 1))))

(defrule eo-not-after-ael-block (declare (salience 70))
  (parameter (method accentuated-eccentric) (name weeks) (value ?w))
  (athlete (weeks-done ?done&:(>= ?done ?w)))
  =>
  (decide eccentric-only nil nil not-now 4 eo-not-after-ael-block))

(defrule eo-needs-partner-or-one-arm (declare (salience 70))
  (athlete (partner FALSE))
  (method (id ?m) (needs-partner TRUE))
  =>
  (decide ?m nil nil allowed 20 eo-needs-partner-or-one-arm))

(defrule eo-allowed-with-partner (declare (salience 70))
  (athlete (partner TRUE))
  (method (id ?m) (needs-partner TRUE))
  =>
  (decide ?m nil nil allowed 60 eo-allowed-with-partner))

(defrule eo-for-stalled-lift (declare (salience 70))
  (athlete (partner TRUE))
  (stalled (lift ?l))
  (exercise (name ?x) (family ?l) (spottable TRUE))
  =>
  (decide eccentric-only ?x ?l recommended 55 eo-for-stalled-lift))

(defrule eo-not-unspottable (declare (salience 70))
  (exercise (name ?x) (spottable FALSE) (family ?f))
  (goal (name ?f))
  =>
  (decide eccentric-only ?x nil blocked 3 eo-not-unspottable)
  (decide forced-negatives ?x nil blocked 3 eo-not-unspottable))

(defrule eo-exercise-needs-equipment (declare (salience 70))
  (athlete (full-gym FALSE))
  (exercise (name ?x) (family ~nil) (equipment $? ?g $?))
  (in-play (exercise ?x))
  (not (have (equipment ?g)))
  =>
  (decide eccentric-only ?x nil blocked 2 eo-exercise-needs-equipment)
  (decide forced-negatives ?x nil blocked 2 eo-exercise-needs-equipment)
  (decide slow-eccentric ?x nil blocked 2 eo-exercise-needs-equipment))

(defrule eo-nsca-load (declare (salience 70))
  (athlete (recovery ~fatigued))
  (parameter (method eccentric-only)
             (name ?n&percent_1rm|sets|reps_min|reps_max|build_up_start_percent_1rm|
                      weeks|days_per_week)
             (value ?v) (num ?num) (den ?den))
  =>
  (assert (prescribe (method eccentric-only) (parameter ?n) (value ?v) (num ?num) (den ?den)
                     (priority 50))))

(defrule eo-beginner-start (declare (salience 70))
  (athlete (experience novice))
  (parameter (method eccentric-only) (name beginner_percent_1rm) (value ?v) (num ?num)
             (den ?den))
  =>
  (assert (prescribe (method eccentric-only) (parameter percent_1rm) (value ?v) (num ?num)
                     (den ?den) (priority 10))))

(defrule fn-last-reps-only (declare (salience 70))
  (athlete (recovery ~fatigued))
  (parameter (method forced-negatives) (name ?n&reps_min|reps_max) (value ?v) (num ?num)
             (den ?den))
  =>
  (assert (prescribe (method forced-negatives) (parameter ?n) (value ?v) (num ?num) (den ?den)
                     (priority 50))))

; ---- 40-30: resolution -----------------------------------------------------------------------
(defrule resolve-candidate (declare (salience 40))
  (decision (method ?m) (key ?k&~nil) (status ?s) (rank ?r) (priority ?p) (rule ?rule)
            (seq ?q))
  (not (decision (method ?m) (key ?k) (priority ?p2&:(< ?p2 ?p))))
  (not (decision (method ?m) (key ?k) (priority ?p) (rank ?r2&:(< ?r2 ?r))))
  (not (decision (method ?m) (key ?k) (priority ?p) (rank ?r) (seq ?q2&:(< ?q2 ?q))))
  =>
  (assert (candidate (method ?m) (key ?k) (status ?s) (rule (why ?s ?rule)))))

(defrule contender-method-wide (declare (salience 35))
  (decision (method ?m) (key nil) (lift ?l) (status ?s) (rank ?r) (priority ?p) (rule ?rule))
  =>
  (assert (contender (method ?m) (key nil) (lift ?l) (status ?s) (rank ?r) (priority ?p)
                     (rule ?rule))))

(defrule contender-live-candidate (declare (salience 35))
  (decision (method ?m) (key ?k&~nil) (lift ?l) (status recommended) (rank ?r) (priority ?p)
            (rule ?rule))
  (candidate (method ?m) (key ?k) (status recommended))
  =>
  (assert (contender (method ?m) (key ?k) (lift ?l) (status recommended) (rank ?r)
                     (priority ?p) (rule ?rule))))

(defrule resolve-method (declare (salience 30))
  (contender (method ?m) (status ?s) (rank ?r) (priority ?p) (rule ?rule))
  (not (contender (method ?m) (priority ?p2&:(< ?p2 ?p))))
  (not (contender (method ?m) (priority ?p) (rank ?r2&:(< ?r2 ?r))))
  =>
  (assert (verdict (method ?m) (status ?s) (rule (why ?s ?rule)))))

(defrule resolve-method-default (declare (salience 29))
  (method (id ?m))
  (not (verdict (method ?m)))
  =>
  (assert (verdict (method ?m) (status not-now) (rule nil))))

(defrule resolve-prescription (declare (salience 30))
  (prescribe (method ?m) (parameter ?n) (value ?v) (num ?num) (den ?den) (priority ?p))
  (not (prescribe (method ?m) (parameter ?n) (priority ?p2&:(< ?p2 ?p))))
  =>
  (assert (rx (method ?m) (parameter ?n) (value ?v) (num ?num) (den ?den))))

; ---- 20-10: plans ----------------------------------------------------------------------------
(defrule offer (declare (salience 20))
  (verdict (method ?m) (status recommended))
  (contender (method ?m) (key ?k) (lift ?l) (status recommended))
  =>
  (assert (offer (method ?m) (key ?k) (lift ?l) (rank (rank-of ?k ?l)))))

; Accentuated eccentrics: the best-ranked pairings, as many as pairings_per_block.
(defrule pick-pairings (declare (salience 15))
  (parameter (method ?m) (name pairings_per_block) (value ?n))
  (offer (method ?m) (key ?k) (lift ?l) (rank $?r))
  =>
  (bind ?position (length$ (find-all-facts ((?o offer))
                                           (and (eq ?o:method ?m) (rank-before ?o:rank ?r)))))
  (if (< ?position ?n) then
    (assert (slot-plan (method ?m) (key ?k) (lift ?l) (position ?position)))))

; Other methods: the best-ranked candidate for each lift.
(defrule best-per-lift (declare (salience 15))
  (offer (method ?m&~accentuated-eccentric) (key ?k) (lift ?l) (rank $?r))
  (not (offer (method ?m) (lift ?l) (rank $?r2&:(rank-before ?r2 ?r))))
  =>
  (assert (first-for-lift (method ?m) (key ?k) (lift ?l) (rank ?r))))

(defrule order-per-lift (declare (salience 14))
  (first-for-lift (method ?m) (key ?k) (lift ?l) (rank $?r))
  =>
  (bind ?position (length$ (find-all-facts ((?o first-for-lift))
                                           (and (eq ?o:method ?m) (rank-before ?o:rank ?r)))))
  (assert (slot-plan (method ?m) (key ?k) (lift ?l) (position ?position))))

(defrule plan-pairing (declare (salience 10))
  (slot-plan (method ?m) (key ?p) (lift ?l) (position ?i))
  (method (id ?m) (order ?mo))
  (pairing (id ?p) (concentric ?c) (eccentric ?e))
  (athlete (weeks-done ?done) (cycle-week ?cw) (units ?u))
  (ael-when (when ?when))
  (parameter (method ?m) (name weeks) (value ?total))
  (parameter (method ?m) (name cycle_start_weeks) (value ?window))
  (parameter (method ?m) (name start_percent_tolerance) (value ?tolerance))
  (parameter (method ?m) (name days_per_week) (value ?days))
  (rx (method ?m) (parameter start_percent_1rm) (num ?sn) (den ?sd))
  (rx (method ?m) (parameter weekly_increase_percent_1rm) (num ?in) (den ?id))
  =>
  ; a block under way continues now; a new one starts in cycle week 1
  (if (eq ?when now) then (bind ?from (min ?done (- ?total 1))) (bind ?first ?cw)
   else (bind ?from 0) (bind ?first 1))
  (bind ?count (max (min (- ?total ?from) (+ (- ?window ?first) 1)) 1))
  (bind ?targets (create$))
  (loop-for-count (?b (+ ?from 1) (+ ?from ?count)) do
    (bind ?pn (half-up (* 100 (+ (* ?sn ?id) (* (- ?b 1) ?in ?sd))) (* ?sd ?id)))
    (bind ?targets (create$ ?targets ?pn 100 nil (if (= ?b 1) then ?tolerance else nil)
                            ?tolerance)))
  (bind ?cap (find-fact ((?o one-rep-max)) (eq ?o:exercise ?c)))
  (add-weeks ?m ?i ?first ?targets ?e ?u
             (if (> (length$ ?cap) 0) then (fact-slot-value (nth$ 1 ?cap) value) else nil))
  (bind ?orm (find-fact ((?o one-rep-max)) (eq ?o:exercise ?e)))
  (assert (plan (morder ?mo) (position ?i) (method ?m) (lift ?l) (pairing ?p) (exercise nil)
                (sets (integer (rx-value ?m sets))) (reps (integer (rx-value ?m reps)))
                (reps-min nil) (basis ?e) (when ?when) (days (plan-days ?days ?m))
                (one-rm (if (> (length$ ?orm) 0) then (fact-slot-value (nth$ 1 ?orm) value)
                         else nil)))))

(defrule plan-other (declare (salience 10))
  (slot-plan (method ?m) (key ?x) (lift ?l) (position ?i))
  (method (id ?m) (order ?mo))
  (not (pairing (id ?x)))
  (athlete (units ?u) (cycle-week ?cw))
  =>
  (if (eq ?m slow-eccentric) then
    (foreach ?n (create$ concentric_seconds eccentric_seconds bottom_pause_seconds)
      (bind ?v (rx-value ?m ?n))
      (if (neq ?v nil) then
        (assert (plan-tempo (method ?m) (position ?i) (name ?n) (seconds (float ?v)))))))
  (bind ?pct (find-fact ((?r rx)) (and (eq ?r:method ?m) (eq ?r:parameter percent_1rm))))
  (bind ?basis nil)
  (bind ?one-rm nil)
  (if (> (length$ ?pct) 0) then
    ; a build-up: from build_up_start to the percent (capped by the method's own percent_1rm),
    ; evenly over the weeks, each floored to 0.01
    (bind ?basis ?x)
    (bind ?r (nth$ 1 ?pct))
    (bind ?own (nth$ 1 (find-fact ((?p parameter))
                                  (and (eq ?p:method ?m) (eq ?p:name percent_1rm)))))
    (if (<= (/ (fact-slot-value ?r num) (fact-slot-value ?r den))
            (/ (fact-slot-value ?own num) (fact-slot-value ?own den)))
     then (bind ?cn (fact-slot-value ?r num)) (bind ?cd (fact-slot-value ?r den))
     else (bind ?cn (fact-slot-value ?own num)) (bind ?cd (fact-slot-value ?own den)))
    (bind ?count 1)
    (if (neq (rx-value ?m weeks) nil) then (bind ?count (integer (rx-value ?m weeks))))
    (bind ?bs (find-fact ((?b rx)) (and (eq ?b:method ?m)
                                        (eq ?b:parameter build_up_start_percent_1rm))))
    (bind ?bn ?cn)
    (bind ?bd ?cd)
    (if (and (> (length$ ?bs) 0)
             (< (/ (fact-slot-value (nth$ 1 ?bs) num) (fact-slot-value (nth$ 1 ?bs) den))
                (/ ?cn ?cd)))
     then (bind ?bn (fact-slot-value (nth$ 1 ?bs) num))
          (bind ?bd (fact-slot-value (nth$ 1 ?bs) den)))
    (bind ?ceiling (/ (float ?cn) ?cd))
    (bind ?targets (create$))
    (loop-for-count (?k 0 (- ?count 1)) do
      ; 100 * (start + (ceiling - start) * k / (count - 1)), floored
      (if (> ?count 1) then
        (bind ?pn (div (* 100 (+ (* ?bn ?cd (- ?count 1)) (* (- (* ?cn ?bd) (* ?bn ?cd)) ?k)))
                       (* ?bd ?cd (- ?count 1))))
       else (bind ?pn (div (* 100 ?cn) ?cd)))
      (bind ?targets (create$ ?targets ?pn 100 ?ceiling nil nil)))
    (add-weeks ?m ?i ?cw ?targets ?x ?u nil)
    (bind ?orm (find-fact ((?o one-rep-max)) (eq ?o:exercise ?x)))
    (if (> (length$ ?orm) 0) then (bind ?one-rm (fact-slot-value (nth$ 1 ?orm) value))))
  (bind ?reps (rx-value ?m reps_max))
  (if (eq ?reps nil) then (bind ?reps (rx-value ?m reps)))
  (bind ?sets (rx-value ?m sets))
  (bind ?reps-min (rx-value ?m reps_min))
  (assert (plan (morder ?mo) (position ?i) (method ?m) (lift ?l) (pairing nil) (exercise ?x)
                (sets (if (eq ?sets nil) then nil else (integer ?sets)))
                (reps (if (eq ?reps nil) then nil else (integer ?reps)))
                (reps-min (if (eq ?reps-min nil) then nil else (integer ?reps-min)))
                (basis ?basis) (one-rm ?one-rm) (days (plan-days (rx-value ?m days_per_week) ?m)))))
"""


def fraction(value: float | int) -> tuple[int, int]:
    """An exact num/den for a decimal as it is written (Decimal(str(x)), as negatives reads it)."""
    num, den = Decimal(str(value)).as_integer_ratio()
    return num, den


def _text(value: Any) -> str:
    """A CLIPS literal: strings quoted, booleans TRUE/FALSE, None nil, numbers as they are."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _many(values: Any) -> str:
    return " ".join(_text(v) for v in values)


def _sym(name: str) -> str:
    if not name or any(c in name for c in ' ()&|~;"<>?$') or name[0].isdigit():
        raise ValueError(f"'{name}' cannot be a CLIPS symbol")
    return name


def knowledge_deffacts(kb: Knowledge) -> str:
    """The knowledge base as one deffacts block."""
    facts = []
    for order, m in enumerate(kb.methods.values()):
        facts.append(f"(method (id {_sym(m.id)}) (order {order}) "
                     f"(needs-partner {_text(m.needs_partner)}))")
        for name, p in m.parameters.items():
            num, den = (None, None) if isinstance(p.value, (bool, str)) else fraction(p.value)
            facts.append(f"(parameter (method {_sym(m.id)}) (name {_sym(name)}) "
                         f"(value {_text(p.value)}) (num {_text(num)}) (den {_text(den)}))")
    for name, s in kb.settings.items():
        facts.append(f"(setting (name {_sym(name)}) (value {_text(s.value)}))")
    for r in kb.rounding:
        num, den = fraction(r.step)
        facts.append(f"(rounding (units {_sym(r.units)}) (equipment {_text(r.equipment)}) "
                     f"(num {num}) (den {den}))")
    for lift in kb.lifts.values():
        itself = kb.exercise(lift.name)
        facts.append(f"(lift (name {_text(lift.name)}) "
                     f"(itself {_text(itself.name if itself else None)}) "
                     f"(muscles {_many(lift.muscles)}))")
    for order, e in enumerate(kb.exercises.values()):
        facts.append(f"(exercise (name {_text(e.name)}) (family {_text(e.family)}) "
                     f"(spottable {_text(e.spottable)}) (compound {_text(e.compound)}) "
                     f"(partner-liftable {_text(e.partner_liftable)}) "
                     f"(laterality {_text(e.laterality)}) "
                     f"(order {order}) (muscles {_many(e.muscles)}) "
                     f"(equipment {_many(e.equipment)}))")
    for order, pr in enumerate(kb.pairings.values()):
        facts.append(f"(pairing (id {_text(pr.id)}) (method {_sym(pr.method)}) "
                     f"(concentric {_text(pr.concentric)}) (eccentric {_text(pr.eccentric)}) "
                     f"(order {order}))")
    return "(deffacts knowledge\n  " + "\n  ".join(facts) + ")"


def _none(value: Any) -> Any:
    return None if isinstance(value, clips.Symbol) and value == "nil" else value


def _str(value: Any) -> str | None:
    value = _none(value)
    return None if value is None else str(value)


class Clips:
    """One CLIPS environment with the rules and the knowledge; `project(athlete)` per athlete.

    Facts go in through one deffunction call and the conclusions come out through another, as
    plain values: clipspy's Fact objects (template.assert_fact, template.facts) retain CLIPS
    facts, and with them every reset leaves garbage behind; the environment then slows down
    athlete after athlete (to a fifth after a few thousand).
    """

    ARITY: ClassVar[dict[str, int]] = {
        "verdict": 3, "candidate": 4, "rx": 3, "plan": 13, "week": 6, "tempo": 4}

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        env = clips.Environment()
        for construct in _constructs(TEMPLATES + FUNCTIONS + RULES + knowledge_deffacts(kb)):
            env.build(construct)
        self.env = env
        self.methods = list(kb.methods)
        self.symbols = {name: clips.Symbol(name) for name in (
            "novice", "intermediate", "advanced", "kg", "lb", "well-rested", "normal",
            "fatigued", "unknown", "none")}

    def project(self, a: Athlete) -> Projection:
        sym = self.symbols
        goals: list[Any] = []
        for index, g in enumerate(a.lifts):
            goals += [g.name, index, sym["unknown"] if g.stalled is None else bool(g.stalled),
                      sym["none"] if g.progress_percent is None else g.progress_percent]
        maxes: list[Any] = []
        for exercise, value in a.one_rep_max.items():
            maxes += [exercise, value, *fraction(value)]
        env = self.env
        env.reset()
        env.call("load-athlete", sym[a.experience], sym[a.units], sym[a.recovery],
                 a.cycle_week, bool(a.partner), a.ae_weeks_done, a.equipment is None,
                 tuple(goals), tuple(sorted(set(a.equipment or ()))), tuple(maxes))
        env.run()
        return self.read(a, env.call("results"))

    def read(self, a: Athlete, flat: tuple[Any, ...]) -> Projection:
        records: dict[str, list[tuple[Any, ...]]] = {tag: [] for tag in self.ARITY}
        i = 0
        while i < len(flat):
            tag = str(flat[i])
            n = self.ARITY[tag]
            records[tag].append(tuple(_none(v) for v in flat[i + 1:i + 1 + n]))
            i += 1 + n
        methods = {str(m): status(str(s), _str(r)) for m, s, r in records["verdict"]}
        candidates: dict[str, dict[str, Status]] = {m: {} for m in self.methods}
        for m, key, s, r in records["candidate"]:
            candidates[str(m)][str(key)] = status(str(s), _str(r))
        rx: dict[str, dict[str, Any]] = {m: {} for m in self.methods}
        for m, name, value in records["rx"]:
            rx[str(m)][str(name)] = value
        tempo: dict[tuple[str, int], dict[str, float]] = {}
        for m, position, name, seconds in records["tempo"]:
            tempo.setdefault((str(m), position), {})[str(name)] = seconds
        weeks: dict[tuple[str, int], list[list[Any]]] = {}
        for m, position, number, percent, load, exact in records["week"]:
            weeks.setdefault((str(m), position), []).append(week(number, percent, load, exact))
        plans = []
        for (_, position, m, lift, pairing, exercise, sets, reps, reps_min, basis,
             one_rm, when, days) in sorted(records["plan"], key=lambda r: (r[0], r[1])):
            key = (str(m), position)
            plans.append(plan(key[0], _str(lift), _str(pairing), _str(exercise), sets, reps,
                              reps_min, tempo.get(key), _str(basis), one_rm,
                              sorted(weeks.get(key, [])), str(when), days))
        return projection(a.units, {m: methods[m] for m in self.methods}, candidates, rx,
                          plans)


def _constructs(source: str) -> list[str]:
    """Split CLIPS source into top-level constructs (comments dropped) for Environment.build."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    in_string = False
    i = 0
    while i < len(source):
        c = source[i]
        if in_string:
            current.append(c)
            if c == "\\":
                current.append(source[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == ";":
            while i < len(source) and source[i] != "\n":
                i += 1
            continue
        elif c == '"':
            in_string = True
            current.append(c)
        elif c == "(":
            depth += 1
            current.append(c)
        elif c == ")":
            depth -= 1
            current.append(c)
            if depth == 0:
                out.append("".join(current).strip())
                current = []
        elif depth > 0:
            current.append(c)
        i += 1
    return out
