namespace Users.Api.Tests.Infrastructure;

/// <summary>The checkout the tests run from, for tests that read or refresh files in it (docs, project files).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Users.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Users.sln not found above " + AppContext.BaseDirectory);
    }
}
