using CanarySim.Service.Auth;

namespace CanarySim.Service.Tests.Hosting;

/// <summary>Item 9: the app token is optional, read from a file, and never the ops token.</summary>
[TestFixture]
public sealed class AppTokenStartupTests
{
    private static readonly AccessToken Ops = AccessToken.Resolve(new GuardServiceOptions { OpsToken = "the-ops-token-0123456789" }, _ => null);

    [Test]
    public void Without_an_app_token_only_the_ops_token_works()
    {
        Assert.That(AccessToken.ResolveApp(new GuardServiceOptions(), _ => null, Ops), Is.Null);
    }

    [Test]
    public void The_app_token_is_read_from_its_file_trimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  the-app-token-0123456789\n");
            var app = AccessToken.ResolveApp(new GuardServiceOptions { AppTokenFile = file }, _ => null, Ops)!;
            Assert.That(app.Source, Is.EqualTo($"file:{file}"));
            Assert.That(app.Matches("the-app-token-0123456789"), Is.True);
            Assert.That(app.Matches("the-ops-token-0123456789"), Is.False);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void An_app_token_equal_to_the_ops_token_or_too_short_refuses_the_start()
    {
        Assert.Throws<GuardServiceConfigurationException>(() => AccessToken.ResolveApp(new GuardServiceOptions { AppToken = "the-ops-token-0123456789" }, _ => null, Ops));
        Assert.Throws<GuardServiceConfigurationException>(() => AccessToken.ResolveApp(new GuardServiceOptions { AppToken = "short" }, _ => null, Ops));
    }

    [Test]
    public void The_serve_switch_maps_to_the_option()
    {
        Assert.That(GuardServiceHost.NormalizeArgs(["--app-token-file", "/run/app.token"]), Is.EqualTo(new[] { "--Guard:AppTokenFile=/run/app.token" }));
    }
}
