@simulation @tour
Feature: The README tour's plans do what the tour says
  The plans a newcomer simulates first (README, "A five-minute tour", step 4) run through the real router,
  detector and rollback controller in virtual time: the seven-week plan reaches 100 %, and a latency
  regression on day 9 is caught by the latency check (V2 p95 over 1600 ms) and rolled back.

  @slow
  Scenario: The seven-week plan completes at 100 % with nothing injected
    Given the plan "fixtures/plans/planner-7-week.yaml"
    When the seed plan runs in the simulator
    Then the simulated rollout completed

  @slow
  Scenario: The latency-regression plan is rolled back by the latency check
    Given the plan "fixtures/plans/planner-latency-regression.yaml"
    When the seed plan runs in the simulator
    Then the simulated rollout rolled_back
    And the injection was first caught by "latency"
