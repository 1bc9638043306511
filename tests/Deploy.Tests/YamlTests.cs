namespace Passport.Deploy.Tests;

public sealed class YamlTests
{
    public static TheoryData<string> YamlFiles() => [.. Repository.YamlFiles().Select(Repository.Relative)];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_YAML_file_in_deploy_parses_into_at_least_one_document(string file)
    {
        var documents = Repository.LoadYaml(Repository.PathOf(file));

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.IsType<Dictionary<object, object?>>(d));
    }

    [Fact]
    public void The_deploy_folder_has_YAML_files_to_check()
    {
        Assert.Contains(Repository.YamlFiles(), f => f.EndsWith("compose.yaml", StringComparison.Ordinal));
        Assert.True(Repository.KubernetesObjects().Count >= 10);
    }

    [Fact]
    public void Every_Kubernetes_object_names_its_api_version_kind_name_and_the_passport_namespace()
    {
        foreach (var (file, o) in Repository.KubernetesObjects())
        {
            Assert.False(string.IsNullOrEmpty(o.Text("apiVersion")), $"{file}: an object has no apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Text("kind")), $"{file}: an object has no kind");
            Assert.False(string.IsNullOrEmpty(o.Text("metadata", "name")), $"{file}: a {o.Text("kind")} has no name");
            if (o.Text("kind") != "Namespace")
                Assert.True(o.Text("metadata", "namespace") == "passport", $"{file}: {o.Text("kind")} {o.Name()} is not in the passport namespace");
        }
    }
}
