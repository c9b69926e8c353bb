using System;
using System.IO;

namespace CommerceServices.Testing
{
    /// <summary>Finds the repository and the built module folder (out/CommerceServices).</summary>
    public static class ModuleLocation
    {
        public static string RepositoryRoot
        {
            get
            {
                string? dir = AppContext.BaseDirectory;
                while (dir != null)
                {
                    if (File.Exists(Path.Combine(dir, "CommerceServicesPS.sln")))
                    {
                        return dir;
                    }

                    dir = Path.GetDirectoryName(dir.TrimEnd(Path.DirectorySeparatorChar));
                }

                throw new DirectoryNotFoundException("Cannot find CommerceServicesPS.sln above " + AppContext.BaseDirectory + ".");
            }
        }

        /// <summary>The manifest of the built emulator module (out/CommerceServices.Emulator).</summary>
        public static string EmulatorManifestPath => Built(Path.Combine("out", "CommerceServices.Emulator", "CommerceServices.Emulator.psd1"));

        private static string Built(string relative)
        {
            string path = Path.Combine(RepositoryRoot, relative);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("Not built: " + path + " is missing. Run 'dotnet build CommerceServicesPS.sln'.", path);
            }

            return path;
        }

        /// <summary>The manifest of the built module. The build of src/CommerceServices assembles it.</summary>
        public static string ManifestPath
        {
            get
            {
                string path = Path.Combine(RepositoryRoot, "out", "CommerceServices", "CommerceServices.psd1");
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException("The module has not been built: " + path + " is missing. Run 'dotnet build CommerceServicesPS.sln'.", path);
                }

                return path;
            }
        }
    }
}
