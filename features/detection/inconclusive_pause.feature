@detection
Feature: A truly inconclusive analysis pauses the rollout visibly
  Inconclusive in Argo's meaning: neither pass nor fail can be decided. The policy
  fixtures/policies/judge-latency-marginal.json adds the Mann-Whitney judge with latency weighing 10 %:
  a v2 that is clearly slower than v1 but under every latency limit scores 90, between the marginal
  score (75) and the pass score (95). Beyond the inconclusive limit (0) the rollout pauses: the
  percentage holds, and the settings history, the audit log, /guard/status and the dashboard all say
  "paused: inconclusive (judge, 90)". One audited resume lets it go on. (A breach still inside its
  sustain window is pending, not inconclusive: see the playbook's rollback triggers.)

  Background:
    Given the detector policy from "fixtures/policies/judge-latency-marginal.json"
    And the router is in canary mode at 10%
    And the metrics store holds:
      | engine | quality | latency_ms | cost_cents | samples |
      | v1     | 95      | 800        | 1.4        | 100     |
      | v2     | 95      | 1200       | 1.4        | 100     |

  Scenario: The judge's marginal score pauses the rollout, naming the check and its value
    When the regression detector evaluates
    Then the verdict is "inconclusive"
    And the rollout is paused: inconclusive (judge, 90)
    And the router settings show kill switch off at 10%
    And the last settings change is:
      | field           | value                            |
      | actor           | auto                             |
      | kind            | pause                            |
      | reason contains | paused: inconclusive (judge, 90) |
    And the last "config" audit event mentions "paused: inconclusive (judge, 90)"

  Scenario: The pause holds through later evaluations until one audited resume
    When the regression detector evaluates 3 times
    Then the rollout is paused: inconclusive (judge, 90)
    And the settings history holds 2 changes
    When "erin" resumes the rollout because "latency shift accepted by the planner team"
    Then the rollout is active
    And the last settings change is:
      | field           | value                         |
      | actor           | erin                          |
      | kind            | resume                        |
      | reason contains | latency shift accepted        |
    And the last "config" audit event mentions "latency shift accepted"
