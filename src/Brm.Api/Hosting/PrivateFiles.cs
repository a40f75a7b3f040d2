using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Brm.Api.Hosting;

/// <summary>Folders and files only the service's own user may read: the data folder, its passwords and keys.</summary>
public static class PrivateFiles
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (mode 0700) and its missing parents; an existing folder is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes <paramref name="contents"/> to a new file (mode 0600), replacing any file of that name.</summary>
    public static void Write(string path, string contents)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(contents);
    }

    /// <summary>
    /// Why the existing file <paramref name="path"/> is not private to the user this process runs as, or null when
    /// it is: it must belong to that user, and neither its group nor others may have any access to it.
    /// </summary>
    public static string? WhyNotPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
        {
            return $"{path} is open to other users (mode 0{Convert.ToString((int)mode, 8)}): make it private (chmod 600 {path}) or delete it";
        }

        var owner = Owner(path);
        return owner == Environment.UserName
            ? null
            : $"{path} belongs to {owner}, not to {Environment.UserName}, the user this service runs as: delete it, or give it to {Environment.UserName}";
    }

    // The name of the file's owner, from stat(1): GNU's on Linux, BSD's elsewhere.
    private static string Owner(string path)
    {
        var startInfo = new ProcessStartInfo("stat") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in OperatingSystem.IsLinux() ? ["-c", "%U", path] : (string[])["-f", "%Su", path])
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            _ = process.StandardError.ReadToEndAsync();
            var owner = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && owner.Length > 0
                ? owner
                : $"an unknown user (stat exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)})";
        }
        catch (Win32Exception e)
        {
            return $"an unknown user (stat could not be run: {e.Message})";
        }
    }
}
