#ifndef IMPORTAI_SERVICES_ISSUE_VIEW_H_
#define IMPORTAI_SERVICES_ISSUE_VIEW_H_

#include "importai/v1/resources.pb.h"

namespace importai::services {

// Trims a full issue to `view`: BASIC drops section and tale bodies and
// section links; FULL keeps everything. UNSPECIFIED must be resolved first.
void ApplyIssueView(v1::IssueView view, v1::Issue* issue);

}  // namespace importai::services

#endif  // IMPORTAI_SERVICES_ISSUE_VIEW_H_
