using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Passport.Deploy.Tests;

public sealed partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles() => [.. Repository.Dockerfiles().Select(Repository.Relative)];

    /// <summary>Instructions with line continuations joined, comments dropped: (INSTRUCTION, arguments).</summary>
    private static List<(string Instruction, string Arguments)> Instructions(string file)
    {
        var joined = Repository.Read(file).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        return [.. joined
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : ""))];
    }

    private static List<(string Instruction, string Arguments)> FinalStage(string file) =>
        [.. Instructions(file).SkipWhile((_, i) => i < Instructions(file).FindLastIndex(x => x.Instruction == "FROM"))];

    private static string PublishedProject(string file)
    {
        var publish = Instructions(file).Single(x => x.Instruction == "RUN" && x.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        return Csproj().Match(publish.Arguments).Value;
    }

    [Fact]
    public void There_is_a_Dockerfile_for_the_Issuer_the_Verifier_and_the_web_pages()
    {
        Assert.Equal(["deploy/issuer.Dockerfile", "deploy/verifier.Dockerfile", "deploy/web.Dockerfile"], Repository.Dockerfiles().Select(Repository.Relative));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_Dockerfile_builds_on_the_SDK_image_and_runs_on_the_ASP_NET_runtime_image(string file)
    {
        var images = Instructions(file).Where(x => x.Instruction == "FROM").Select(x => x.Arguments.Split(' ')[0]).ToList();

        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", images[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", images[^1]);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_Dockerfile_runs_its_service_as_a_non_root_user(string file)
    {
        var user = FinalStage(file).Last(x => x.Instruction == "USER").Arguments;

        Assert.Contains(user, new[] { "$APP_UID", "${APP_UID}", "app", "1654" });
        Assert.True(FinalStage(file).FindLastIndex(x => x.Instruction == "USER") > FinalStage(file).FindLastIndex(x => x.Instruction is "COPY" or "RUN"),
            $"{file}: the last USER must come after the last COPY or RUN of the runtime stage");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_Dockerfile_publishes_the_project_its_name_says_and_starts_that_assembly(string file)
    {
        var service = Path.GetFileName(file).Split('.')[0];
        var project = PublishedProject(file);
        var name = Path.GetFileNameWithoutExtension(project);

        Assert.Equal(service, name, ignoreCase: true);
        Assert.Equal($"src/{name}/{name}.csproj", project);
        Assert.True(File.Exists(Repository.PathOf(project)), $"{file}: {project} does not exist");
        Assert.Equal($"[\"dotnet\", \"Passport.{name}.dll\"]", FinalStage(file).Single(x => x.Instruction == "ENTRYPOINT").Arguments);
        Assert.DoesNotContain(FinalStage(file), x => x.Instruction == "CMD");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_Dockerfile_copies_every_project_its_service_references_before_restoring(string file)
    {
        var instructions = Instructions(file);
        var restore = instructions.FindIndex(x => x.Instruction == "RUN" && x.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var copied = instructions.Take(restore).Where(x => x.Instruction == "COPY").SelectMany(x => x.Arguments.Split(' ')).ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure(PublishedProject(file)))
            Assert.True(copied.Contains(project), $"{file}: {project} is not copied before `dotnet restore`");
        foreach (var shared in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            Assert.True(copied.Contains(shared), $"{file}: {shared} is not copied before `dotnet restore`");
            Assert.True(File.Exists(Repository.PathOf(shared)));
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_Dockerfile_listens_on_8080_and_checks_health_live(string file)
    {
        var stage = FinalStage(file);

        Assert.Contains(stage, x => x.Instruction == "ENV" && x.Arguments.Contains("ASPNETCORE_HTTP_PORTS=8080", StringComparison.Ordinal));
        Assert.Contains(stage, x => x.Instruction == "EXPOSE" && x.Arguments == "8080");
        Assert.Contains("/health/live", stage.Single(x => x.Instruction == "HEALTHCHECK").Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_Dockerfile_has_an_ignore_file_that_keeps_build_output_and_local_data_out(string file)
    {
        var ignore = Repository.Read(file + ".dockerignore").Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.Contains("**/*.db", ignore);
        Assert.Contains("!src/", ignore);
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
                continue;
            var folder = Path.GetDirectoryName(Repository.PathOf(next))!;
            foreach (var reference in XDocument.Load(Repository.PathOf(next)).Descendants("ProjectReference"))
                pending.Push(Repository.Relative(Path.GetFullPath(Path.Combine(folder, (string)reference.Attribute("Include")!))));
        }
        return seen;
    }

    [GeneratedRegex(@"src/\S+\.csproj")]
    private static partial Regex Csproj();
}
