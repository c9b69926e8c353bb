using System;
using System.Collections.Generic;
using System.Linq;

namespace CommerceServices.Saas
{
    /// <summary>Finding a project among those a registry lists.</summary>
    public static class SaasProjectLookup
    {
        /// <summary>
        /// The project of <paramref name="projects"/> that already has <paramref name="name"/> (letter case aside),
        /// which a provisioning script run again must reuse rather than create a second one; null when there is none.
        /// </summary>
        public static SaasProject? WithSameName(IEnumerable<SaasProject> projects, string name) =>
            projects.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }
}
