using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;

namespace CommerceServices.PowerShell
{
    /// <summary>
    /// Runs when the module is imported. On Windows PowerShell 5.1 (.NET Framework) it resolves
    /// the module's own dependencies from the module folder whatever version is asked for (there
    /// are no binding redirects for a module), and enables TLS 1.2 for the gateway. On PowerShell 7
    /// it does nothing. It loads nothing itself, so the import stays fast.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        private static bool IsDesktop => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <inheritdoc />
        public void OnImport()
        {
            if (!IsDesktop)
            {
                return;
            }

            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsDesktop)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
            }
        }

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string candidate = Path.Combine(ModuleFolder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
