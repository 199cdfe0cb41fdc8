// What other parts of Work Groups use from schools' interests: the schools in a group with their
// current advocates, and a hub's interested schools in a programme for a year (for allocation).
export {
  acceptedSchools,
  interestedSchoolsFor,
  type AcceptedSchool,
  type InterestedSchool,
} from './schools.repository.ts'
