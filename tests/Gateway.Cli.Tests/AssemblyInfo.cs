// gatewayctl's provisioning and key files are POSIX concepts (modes, owners, ssh); its tests run on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
