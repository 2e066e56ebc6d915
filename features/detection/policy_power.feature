@detection @sweep @slow
Feature: Policy power analysis
  A rollback policy is a statistical instrument. Before trusting one, QA sweep it: the plan is run once per seed
  with nothing wrong and once per seed with a regression injected, every run through the real router, detector and
  rollback controller, and the sweep tells how often the policy rolls back a healthy canary (a false alarm) and how
  often and how fast it catches the regression. The same runs as `canarysim sweep`; the summary is attached below.

  The plan here is one day of steady planner traffic: an hour of shadow, then a 50 % canary. v2's healthy p95 is
  about 1060 ms, so +20 % latency moves it to about 1270 ms.

  Scenario: A tuned latency policy catches a 20 % latency regression quickly and rarely cries wolf
    Given the plan "fixtures/plans/planner-one-day-canary.yaml"
    And the policy "fixtures/policies/latency-tuned.json"
    When it is swept over 50 seeds with v2 latency +20% at hour 6
    Then it catches the regression in at least 95% of runs within 30 min
    And it raises a false alarm in at most 2% of healthy runs

  Scenario: The same limit on small windows cries wolf
    The same 1200 ms limit on the default 100-run window, judged from 30 runs: the p95 of only 100 runs swings
    past a limit this close to its true value by chance, many times a day. A claim about healthy runs alone: nothing
    is injected.
    Given the plan "fixtures/plans/planner-one-day-canary.yaml"
    And the policy "fixtures/policies/latency-tight-naive.json"
    When it is swept over 20 seeds with nothing injected
    Then it raises a false alarm in more than 2% of healthy runs
    And the false alarms were raised by "latency"
