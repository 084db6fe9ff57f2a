import { graphql } from "../gql/index.js";

// The admin Users panel's operations; `npm run codegen` types them (src/web/dashboard/gql/).

export const AdminUserFields = graphql(`
  fragment AdminUserFields on User {
    id
    subject
    email
    role
    balance
  }
`);

export const UsersQuery = graphql(`
  query DashboardUsers($search: String, $first: Int) {
    users(search: $search, first: $first) {
      ...AdminUserFields
    }
  }
`);

export const GrantCreditsMutation = graphql(`
  mutation DashboardGrantCredits($userId: ID!, $amount: Int!, $reason: String) {
    grantCredits(userId: $userId, amount: $amount, reason: $reason) {
      ...AdminUserFields
    }
  }
`);
