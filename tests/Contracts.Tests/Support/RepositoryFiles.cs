namespace Ledger.Contracts.Tests.Support;

/// <summary>The repository the tests were built from, for tests that hold documents and code to each other.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository's root: the nearest folder above the test binaries that holds Ledger.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException($"no Ledger.sln above {AppContext.BaseDirectory}: the tests run from a build inside the repository");
    }
}
