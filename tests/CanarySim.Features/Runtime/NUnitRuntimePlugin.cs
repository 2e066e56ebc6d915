using Reqnroll.Infrastructure;
using Reqnroll.Plugins;
using Reqnroll.UnitTestProvider;

[assembly: RuntimePlugin(typeof(NUnitRuntimePlugin))]

namespace CanarySim.Features.Runtime;

/// <summary>
/// Tells the Reqnroll runtime that this assembly's scenarios run under NUnit: registers
/// <see cref="NUnitRuntimeProvider"/> as the unit-test provider named <c>nunit</c> and
/// <see cref="NUnitAttachmentHandler"/> for attached files (Reqnroll's own
/// NUnit package is not available here, and its code generator is replaced by <see cref="FeatureSuite"/>).
/// </summary>
public sealed class NUnitRuntimePlugin : IRuntimePlugin
{
    /// <summary>The provider name Reqnroll looks up.</summary>
    public const string ProviderName = "nunit";

    /// <inheritdoc/>
    public void Initialize(RuntimePluginEvents runtimePluginEvents, RuntimePluginParameters runtimePluginParameters, UnitTestProviderConfiguration unitTestProviderConfiguration)
    {
        ArgumentNullException.ThrowIfNull(runtimePluginEvents);
        ArgumentNullException.ThrowIfNull(unitTestProviderConfiguration);
        runtimePluginEvents.RegisterGlobalDependencies += (_, e) =>
            e.ObjectContainer.RegisterTypeAs<NUnitRuntimeProvider, IUnitTestRuntimeProvider>(ProviderName);
        runtimePluginEvents.CustomizeTestThreadDependencies += (_, e) =>
            e.ObjectContainer.RegisterTypeAs<NUnitAttachmentHandler, IReqnrollAttachmentHandler>();
        unitTestProviderConfiguration.UseUnitTestProvider(ProviderName);
    }
}
