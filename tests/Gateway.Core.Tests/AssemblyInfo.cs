// The atomic-file tests check Unix file modes and fsync of a directory: Linux is where they matter.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
