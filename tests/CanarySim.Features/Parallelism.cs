// Scenarios run in parallel (FeatureSuite), each on its own Reqnroll test runner and, when it stubs engines, its own
// WireMock server. Four at once on two cores: the live scenarios (@wall-clock) spend seconds waiting on the wall clock,
// and the others keep both cores busy meanwhile.
[assembly: LevelOfParallelism(4)]
