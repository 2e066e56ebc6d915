// Scenarios run in parallel (FeatureSuite), each on its own Reqnroll test runner and, when it stubs engines, its own
// WireMock server. Three at once on two cores: the live scenarios spend seconds waiting on the wall clock, and the
// other two keep the cores busy meanwhile.
[assembly: LevelOfParallelism(3)]
