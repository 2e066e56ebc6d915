@rollout @live-plan @wall-clock
Feature: One plan, three ways: simulated, rehearsed, live
  The plan that promotes production traffic is the file QA rehearsed and CI simulated. The short plan
  fixtures/plans/live-short.yaml (5 % until release-manager approves, then 25 %, then 50 %; each stage held
  3 s and left after 2 healthy evaluations a second apart; a quality drop above 5 points rolls back) runs
  through the one rollout driver three ways:
  - simulated: the simulator's synthetic traffic in virtual time (two minutes of it);
  - rehearsed: traffic played second by second on the rehearsal's fake clock, approvers approving;
  - live: canarysim serve --plan started in process (real HTTP on 127.0.0.1, SQLite, the wall clock),
    healthy samples posted, the approval given over POST /guard/rollout/approve.
  The regression is the same in all three: v2's quality drops by 15 points once the rollout is at 25 %
  (injected in the simulation, played in the rehearsal, posted as bad v2 samples live).

  Scenario: Healthy, the plan goes 5 → 25 → 50 % and completes the same way all three ways
    Given the plan "fixtures/plans/live-short.yaml"
    When the plan is simulated
    And the plan is rehearsed for 30s
    And the plan runs live on a started guard service
    Then the simulated, rehearsed and live runs went through canary-5, canary-25 and progressive-50
    And the simulated, rehearsed and live runs completed

  # canary-25 is held 10 minutes here, so that the live run's bad samples arrive while it is served however slow the
  # machine (with the file's 3 s, a test process stalled for longer would post them at progressive-50); the rollback
  # comes at once, so the long hold costs nothing.
  Scenario: A quality regression at 25 % rolls back at 25 % all three ways
    Given the plan "fixtures/plans/live-short.yaml"
    And stage "canary-25" of the plan is held 10m
    When the plan is simulated with "v2.quality-15 at 6s"
    And the plan is rehearsed for 30s, v2 scoring quality 79 from stage "canary-25" on
    And the plan runs live on a started guard service, posting v2 samples of quality 79 at stage "canary-25"
    Then the simulated, rehearsed and live runs went through canary-5 and canary-25
    And the simulated, rehearsed and live runs rolled back at stage "canary-25"

  # fixtures/plans/live-full.yaml carries the short plan to 100 %: canary-25 is left only when the release gate over
  # fixtures/uat/stages/stage25_raw*.json says GO (simulated and rehearsed: the files; live: the same files posted to
  # POST /guard/rollout/artifacts), progressive-50 only after a rollback rehearsal (kill switch on, FIN-01 and SAL-01
  # sent to v1, the stage restored: in the simulator, on the rehearsal's router, on the live guard).
  Scenario: With a release gate and a rollback rehearsal the plan reaches 100 % all three ways
    Given the plan "fixtures/plans/live-full.yaml"
    When the plan is simulated
    And the plan is rehearsed for 30s
    And the plan runs live on a started guard service
    Then the simulated, rehearsed and live runs went through canary-5, canary-25, progressive-50 and progressive-100
    And the simulated, rehearsed and live runs completed
