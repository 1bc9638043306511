namespace Passport.Deploy.Tests;

public sealed class KubernetesTests
{
    private static List<Dictionary<object, object?>> Deployments() => [.. Repository.OfKind("Deployment")];

    private static List<Dictionary<object, object?>> Containers(object? workload) =>
        [.. workload.List("spec", "template", "spec", "containers").OfType<Dictionary<object, object?>>()];

    private static string ImageName(string image)
    {
        var name = image.Split('/')[^1];
        return name.Split('@')[0].Split(':')[0];
    }

    private static bool PortIsDeclared(object? container, object? port) =>
        container.List("ports").Any(p => Equals(p.At("name"), port) || Equals(p.At("containerPort"), port?.ToString()));

    [Fact]
    public void There_is_a_Deployment_for_each_service_image()
    {
        var images = Deployments().SelectMany(Containers).Select(c => ImageName(c.Text("image")!)).Order(StringComparer.Ordinal);

        Assert.Equal(["passport-issuer", "passport-verifier", "passport-web"], images);
    }

    [Fact]
    public void Each_Deployment_probes_liveness_and_startup_on_health_live_and_readiness_on_health_ready()
    {
        foreach (var container in Deployments().SelectMany(Containers))
        {
            Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/live", container.Text("startupProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
            foreach (var probe in new[] { "livenessProbe", "startupProbe", "readinessProbe" })
                Assert.True(PortIsDeclared(container, container.At(probe, "httpGet", "port")), $"{container.Text("name")}: {probe} names a port the container does not declare");
        }
    }

    [Fact]
    public void Each_Deployment_listens_on_the_port_the_images_use()
    {
        foreach (var container in Deployments().SelectMany(Containers))
            Assert.Contains(container.List("ports"), p => p.Text("containerPort") == "8080");
    }

    [Fact]
    public void Each_workload_runs_non_root_without_privilege_escalation_on_a_read_only_root_filesystem()
    {
        foreach (var workload in Repository.OfKind("Deployment").Concat(Repository.OfKind("Job")))
        {
            var pod = workload.At("spec", "template", "spec");
            Assert.True(pod.Text("securityContext", "runAsNonRoot") == "true", $"{workload.Name()}: runAsNonRoot is not true");
            Assert.NotEqual("0", pod.Text("securityContext", "runAsUser"));
            foreach (var container in Containers(workload))
            {
                Assert.True(container.Text("securityContext", "readOnlyRootFilesystem") == "true", $"{workload.Name()}: the root filesystem is writable");
                Assert.True(container.Text("securityContext", "allowPrivilegeEscalation") == "false", $"{workload.Name()}: privilege escalation is allowed");
                Assert.Contains("ALL", container.List("securityContext", "capabilities", "drop").Cast<string>());
                var tmp = container.List("volumeMounts").Single(m => m.Text("mountPath") == "/tmp").Text("name");
                Assert.Contains(pod.List("volumes"), v => v.Text("name") == tmp && v.At("emptyDir") is not null);
            }
        }
    }

    [Fact]
    public void Each_workload_sets_cpu_and_memory_requests_and_limits()
    {
        foreach (var workload in Repository.OfKind("Deployment").Concat(Repository.OfKind("Job")))
        {
            foreach (var container in Containers(workload))
            {
                foreach (var kind in new[] { "requests", "limits" })
                {
                    Assert.False(string.IsNullOrEmpty(container.Text("resources", kind, "cpu")), $"{workload.Name()}: no cpu {kind}");
                    Assert.False(string.IsNullOrEmpty(container.Text("resources", kind, "memory")), $"{workload.Name()}: no memory {kind}");
                }
            }
        }
    }

    [Fact]
    public void Each_image_is_built_by_a_Dockerfile_in_deploy_and_runs_its_entry_point_unchanged()
    {
        foreach (var workload in Repository.OfKind("Deployment").Concat(Repository.OfKind("Job")))
        {
            foreach (var container in Containers(workload))
            {
                var service = ImageName(container.Text("image")!)["passport-".Length..];
                Assert.True(File.Exists(Path.Combine(Repository.Deploy, $"{service}.Dockerfile")), $"{workload.Name()}: no deploy/{service}.Dockerfile builds its image");
                Assert.Null(container.At("command"));
            }
        }
        foreach (var container in Deployments().SelectMany(Containers))
            Assert.Empty(container.List("args"));
    }

    [Fact]
    public void A_migration_Job_runs_migrate_for_each_Deployment_with_a_database_with_the_same_image_and_settings()
    {
        var jobs = Repository.OfKind("Job").ToList();
        foreach (var deployment in Deployments().Where(d => d.Name() != WebDeployment))
        {
            var app = Containers(deployment).Single();
            var job = jobs.SingleOrDefault(j => Containers(j).Any(c => c.Text("image") == app.Text("image")));
            Assert.True(job is not null, $"no migration Job runs {app.Text("image")}");
            var migrate = Containers(job).Single();
            Assert.Equal(["migrate"], migrate.List("args").Cast<string>());
            Assert.Equal(EnvSources(app), EnvSources(migrate));
            Assert.Contains(job.Text("spec", "template", "spec", "restartPolicy"), new[] { "Never", "OnFailure" });
        }
    }

    [Fact]
    public void A_migration_Job_connects_as_the_schema_owner_from_a_Secret_of_its_own_and_the_service_as_a_narrower_role()
    {
        var secrets = Repository.OfKind("Secret").ToDictionary(s => s.Name(), s => s.Map("stringData"));
        foreach (var job in Repository.OfKind("Job"))
        {
            var migrate = Containers(job).Single();
            var connection = Assert.Single(migrate.List("env"), e => e.Text("name")!.EndsWith("__Database__ConnectionString", StringComparison.Ordinal));
            var owner = connection.Text("valueFrom", "secretKeyRef", "name")!;
            var service = migrate.List("envFrom").Select(e => e.Text("secretRef", "name")).Single(n => n is not null)!;

            Assert.NotEqual(service, owner);
            Assert.Contains("Username=passport_", (string)secrets[owner][connection.Text("valueFrom", "secretKeyRef", "key")!]!, StringComparison.Ordinal);
            Assert.Contains("_owner;", (string)secrets[owner][connection.Text("name")!]!, StringComparison.Ordinal);
            Assert.DoesNotContain("_owner;", (string)secrets[service][connection.Text("name")!]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_web_front_end_has_no_migration_Job_and_shares_its_cookie_key_ring_across_replicas()
    {
        var web = Assert.Single(Deployments(), d => d.Name() == WebDeployment);
        var container = Containers(web).Single();
        var settings = Repository.OfKind("ConfigMap").SelectMany(c => c.Map("data")).ToDictionary(kv => (string)kv.Key, kv => (string?)kv.Value);

        Assert.DoesNotContain(Repository.OfKind("Job"), j => Containers(j).Any(c => c.Text("image") == container.Text("image")));
        var keys = settings["Web__DataProtectionKeysPath"];
        var mount = container.List("volumeMounts").Single(m => m.Text("mountPath") == keys);
        var volume = web.List("spec", "template", "spec", "volumes").Single(v => v.Text("name") == mount.Text("name"));
        var claim = Assert.Single(Repository.OfKind("PersistentVolumeClaim"), c => c.Name() == volume.Text("persistentVolumeClaim", "claimName"));
        Assert.Contains("ReadWriteMany", claim.List("spec", "accessModes").Cast<string>());
        Assert.Equal("true", settings["Web__TrustForwardedHeaders"]);
        Assert.StartsWith("https://", settings["Web__Oidc__Authority"], StringComparison.Ordinal);
        Assert.Equal("http://passport-issuer.passport.svc.cluster.local/", settings["Web__IssuerApiBaseUrl"]);
        Assert.Equal("http://passport-verifier.passport.svc.cluster.local/", settings["Web__VerifierApiBaseUrl"]);
        Assert.DoesNotContain("Web__Oidc__ClientSecret", settings.Keys);
        Assert.DoesNotContain("Web__DevelopmentSignIn", settings.Keys);
    }

    private const string WebDeployment = "passport-web";

    private static List<string> EnvSources(object? container) =>
        [.. container.List("envFrom").Select(e => e.Text("configMapRef", "name") ?? e.Text("secretRef", "name") ?? "")];

    [Fact]
    public void Each_Deployment_is_exposed_by_a_Service_scaled_by_a_CPU_autoscaler_and_kept_up_by_a_disruption_budget()
    {
        foreach (var deployment in Deployments())
        {
            var labels = deployment.Map("spec", "template", "metadata", "labels");
            var container = Containers(deployment).Single();
            bool Selects(object? selector) => selector is Dictionary<object, object?> s && s.Count > 0
                && s.All(kv => labels.TryGetValue(kv.Key, out var v) && Equals(v, kv.Value));

            Assert.True(Selects(deployment.At("spec", "selector", "matchLabels")), $"{deployment.Name()}: its selector does not match its pods");
            var service = Assert.Single(Repository.OfKind("Service"), s => Selects(s.At("spec", "selector")));
            Assert.All(service.List("spec", "ports"), p => Assert.True(PortIsDeclared(container, p.At("targetPort")), $"{service.Name()}: targetPort is not a container port"));

            var hpa = Assert.Single(Repository.OfKind("HorizontalPodAutoscaler"), h => h.Text("spec", "scaleTargetRef", "name") == deployment.Name());
            Assert.Equal("Deployment", hpa.Text("spec", "scaleTargetRef", "kind"));
            Assert.True(int.Parse(hpa.Text("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
            Assert.Contains(hpa.List("spec", "metrics"), m => m.Text("resource", "name") == "cpu");

            Assert.Single(Repository.OfKind("PodDisruptionBudget"), p => Selects(p.At("spec", "selector", "matchLabels")));
            Assert.True(int.Parse(deployment.Text("spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        }
    }

    [Fact]
    public void Every_ConfigMap_Secret_and_service_account_a_workload_references_is_defined()
    {
        var configMaps = Repository.OfKind("ConfigMap").Select(o => o.Name()).ToHashSet();
        var secrets = Repository.OfKind("Secret").Select(o => o.Name()).ToHashSet();
        var accounts = Repository.OfKind("ServiceAccount").Select(o => o.Name()).ToHashSet();
        foreach (var workload in Repository.OfKind("Deployment").Concat(Repository.OfKind("Job")))
        {
            var pod = workload.At("spec", "template", "spec");
            Assert.Contains(pod.Text("serviceAccountName") ?? "", accounts);
            foreach (var source in Containers(workload).SelectMany(c => c.List("envFrom")))
            {
                if (source.Text("configMapRef", "name") is { } configMap)
                    Assert.Contains(configMap, configMaps);
                if (source.Text("secretRef", "name") is { } secret)
                    Assert.Contains(secret, secrets);
            }
            foreach (var volume in pod.List("volumes"))
            {
                if (volume.Text("secret", "secretName") is { } secret)
                    Assert.Contains(secret, secrets);
            }
        }
    }

    [Fact]
    public void Secrets_appear_only_in_example_files_and_hold_placeholders()
    {
        foreach (var (file, secret) in Repository.KubernetesObjects().Where(o => o.Object.Text("kind") == "Secret"))
        {
            Assert.EndsWith(".example.yaml", file, StringComparison.Ordinal);
            Assert.Empty(secret.Map("data"));
            Assert.All(secret.Map("stringData").Values, v => Assert.Contains("CHANGE_ME", (string)v!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_ConfigMaps_hold_the_production_settings_and_no_secrets()
    {
        var settings = Repository.OfKind("ConfigMap").SelectMany(c => c.Map("data")).ToDictionary(kv => (string)kv.Key, kv => (string?)kv.Value);

        Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("RabbitMq", settings["Bus__Transport"]);
        Assert.Equal("true", settings["Bus__QuorumQueues"]);
        Assert.Equal("Postgres", settings["Issuer__Database__Provider"]);
        Assert.Equal("Postgres", settings["Verifier__Database__Provider"]);
        Assert.Equal("AzureKeyVault", settings["Issuer__Keys__Provider"]);
        Assert.StartsWith("https://", settings["Issuer__Keys__VaultUri"], StringComparison.Ordinal);
        Assert.StartsWith("https://", settings["Auth__Authority"], StringComparison.Ordinal);
        Assert.StartsWith("https://", settings["Issuer__PublicBaseUrl"], StringComparison.Ordinal);
        Assert.StartsWith("https://", settings["Verifier__PublicBaseUrl"], StringComparison.Ordinal);
        Assert.Equal(settings["Issuer__PublicBaseUrl"], settings["Verifier__Trust__IssuerBaseUrl"]);
        Assert.Equal("false", settings["Verifier__Trust__AllowHttp"]);
        Assert.Equal("false", settings["Verifier__Trust__AllowPrivateNetworks"]);
        Assert.DoesNotContain(settings.Keys, k => k.EndsWith("ConnectionString", StringComparison.Ordinal)
            || k is "Bus__RabbitMq" or "Issuer__Keys__KeyEncryptionKey" or "Auth__SigningKeys");
    }

    [Fact]
    public void Every_Ingress_route_leads_to_a_defined_Service_port()
    {
        var services = Repository.OfKind("Service").ToList();
        var routes = Repository.OfKind("Ingress").SelectMany(i => i.List("spec", "rules")).SelectMany(r => r.List("http", "paths")).ToList();

        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var service = Assert.Single(services, s => s.Name() == route.Text("backend", "service", "name"));
            Assert.Contains(service.List("spec", "ports"), p => p.Text("name") == route.Text("backend", "service", "port", "name"));
        }
    }
}
