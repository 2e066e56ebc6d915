using CanarySim.Harness.WireMock;

namespace CanarySim.Features.Harness;

/// <summary>A missing npm or jar is a clear error naming what to install.</summary>
[NonParallelizable]
public sealed class WireMockSetupTests
{
    [Test]
    public void Missing_npm_names_what_to_install()
    {
        var tools = Directory.CreateTempSubdirectory("canarysim-no-npm-").FullName;
        var path = Environment.GetEnvironmentVariable("PATH");
        var jar = Environment.GetEnvironmentVariable("CANARYSIM_WIREMOCK_JAR");
        try
        {
            Environment.SetEnvironmentVariable("PATH", tools);
            Environment.SetEnvironmentVariable("CANARYSIM_WIREMOCK_JAR", null);
            var e = Assert.ThrowsAsync<WireMockSetupException>(() => WireMockInstaller.EnsureJarAsync(new WireMockServerOptions { ToolsDirectory = tools }));
            Assert.That(e!.Message, Does.Contain("'npm' was not found").And.Contain("apt-get install -y nodejs npm").And.Contain("wiremock@3.13.2"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Environment.SetEnvironmentVariable("CANARYSIM_WIREMOCK_JAR", jar);
            Directory.Delete(tools, recursive: true);
        }
    }

    [Test]
    public void Missing_java_names_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("canarysim-no-java-").FullName;
        var path = Environment.GetEnvironmentVariable("PATH");
        var home = Environment.GetEnvironmentVariable("JAVA_HOME");
        try
        {
            Environment.SetEnvironmentVariable("PATH", empty);
            Environment.SetEnvironmentVariable("JAVA_HOME", null);
            var e = Assert.Throws<WireMockSetupException>(() => WireMockInstaller.FindJava());
            Assert.That(e!.Message, Does.Contain("Java 17").And.Contain("openjdk-17-jre-headless"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Environment.SetEnvironmentVariable("JAVA_HOME", home);
            Directory.Delete(empty, recursive: true);
        }
    }

    [Test]
    public void A_named_jar_that_does_not_exist_is_an_error()
    {
        var e = Assert.ThrowsAsync<WireMockSetupException>(() => WireMockInstaller.EnsureJarAsync(new WireMockServerOptions { JarPath = "/nonexistent/wiremock.jar" }));
        Assert.That(e!.Message, Does.Contain("/nonexistent/wiremock.jar"));
    }

    [Test]
    public async Task The_installed_jar_is_found_in_the_tools_folder()
    {
        var jar = await WireMockInstaller.EnsureJarAsync(new WireMockServerOptions());
        Assert.That(File.Exists(jar), Is.True);
        Assert.That(Path.GetFileName(jar), Is.EqualTo("wiremock-standalone-3.13.2.jar"));
        Assert.That(jar, Does.Contain(Path.Combine(".tools", "wiremock")));
    }
}
